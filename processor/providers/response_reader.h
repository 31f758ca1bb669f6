// ResponseReader: reads one HTTP attempt's response for ProviderClient. A 2xx event stream goes through SseParser
// and the provider's StreamDecoder, and each text delta is handed on at once; a 2xx JSON body is parsed whole; an
// error status collects the error body. finish() turns what happened into the attempt's LlmResult and says whether
// a retry is allowed (agent-runtime.md §7.4).
// Thread-safety: one reader per attempt, used only by the thread that runs the request.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "processor/providers/http_stream_client.h"
#include "processor/providers/provider_protocol.h"
#include "processor/providers/sse_parser.h"

namespace aw::processor::providers {

struct AttemptResult {
  LlmResult result;
  bool retryable = false;                  // a transient failure (connection, 408/429/5xx/529)
  std::optional<std::string> retry_after;  // the Retry-After header of an error response
  int status = 0;                          // HTTP status, 0 when none arrived (for logs)
};

class ResponseReader : public HttpStreamHandler {
 public:
  // Caps: a whole JSON body (a non-streaming reply) and the part of an error body that is read.
  static constexpr std::size_t kMaxJsonBodyBytes = 16u << 20;
  static constexpr std::size_t kMaxErrorBodyBytes = 64u << 10;

  // `on_delta` receives each non-empty text delta on the reading thread; it must outlive the reader.
  ResponseReader(const ProviderProtocol& protocol, std::string provider, bool streaming,
                 const std::function<void(std::string_view)>& on_delta);

  // HttpStreamHandler
  bool on_head(const HttpResponseHead& head) override;
  bool on_body(std::string_view bytes) override;

  // The attempt's result once post() returned `outcome`. `cancel` supplies the reason of a cancellation.
  AttemptResult finish(const HttpOutcome& outcome, const CancelToken& cancel);

 private:
  enum class Mode { AwaitingHead, EventStream, JsonBody, ErrorBody };

  bool on_stream_bytes(std::string_view bytes);
  void deliver(std::string_view delta);
  AttemptResult finish_stream();
  AttemptResult finish_json_body();

  const ProviderProtocol& protocol_;
  const std::string provider_;
  const bool streaming_;
  const std::function<void(std::string_view)>& on_delta_;

  Mode mode_ = Mode::AwaitingHead;
  HttpResponseHead head_;
  std::string body_;  // JsonBody and ErrorBody modes
  bool body_too_large_ = false;
  SseParser sse_;
  std::vector<SseEvent> events_;  // scratch, reused per read
  std::string delta_;             // scratch, reused per event
  std::unique_ptr<StreamDecoder> decoder_;
  std::optional<Status> stream_error_;  // why reading stopped early
  std::string text_;
  bool any_delta_ = false;
};

}  // namespace aw::processor::providers
