// ProviderProtocol: what one LLM API family contributes (agent-runtime.md §7): building its HTTP request and
// decoding its replies. The transport, retries, timeouts and error texts are shared (ProviderClient), so a
// provider is only this: a request builder, a stream decoder and a non-streaming reply parser, all pure.
// Each family lives in its own folder and namespace (openai/, anthropic/, google/) and is registered once in
// provider_registry.cpp.
// Thread-safety: a ProviderProtocol is immutable after construction and shared by all runs; a StreamDecoder
// belongs to one response and the thread reading it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "processor/llm/llm_client.h"
#include "processor/providers/http_stream_client.h"
#include "processor/providers/sse_parser.h"

namespace aw::processor::providers {

// Error codes of the Status values below. Their message is the complete text clients see on SSE `error`.
inline constexpr const char* kInvalidResponseCode = "invalid_response";  // "Invalid response from <p>: <detail>"
inline constexpr const char* kProviderErrorCode = "provider_error";      // an error the provider reported in a 2xx body

// "Invalid response from <provider>: <detail>" as a Status (agent-runtime.md §7.4).
Status invalid_response(std::string_view provider, std::string_view detail);

// Decodes one streamed reply, event by event.
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Consumes one SSE event and appends its text (possibly nothing) to `delta`, which is valid UTF-8 on success.
  // Fails with a ready-to-show text: a malformed event, or an error the provider reported in the stream.
  // Requires: !is_done().
  virtual Status on_event(const SseEvent& event, std::string& delta) = 0;
  // The provider's end marker arrived ([DONE], message_stop, a final finishReason); later bytes are ignored.
  virtual bool is_done() const = 0;
  // Called when the body ended before is_done(): fails with the "stream ended before ..." text, unless the
  // format allows such an ending.
  virtual Status on_end_of_body() = 0;
  // Token counts reported so far.
  virtual std::optional<LlmUsage> usage() const = 0;
};

// A complete non-streaming reply (agent-runtime.md §7.6).
struct Completion {
  std::string text;
  std::optional<LlmUsage> usage;
};

class ProviderProtocol {
 public:
  virtual ~ProviderProtocol() = default;
  // The HTTP request for `request` (endpoint, auth headers, JSON body); request.stream selects the streaming or
  // the non-streaming variant. Does not set the timeout. Fails when a text is not valid UTF-8.
  virtual Result<HttpRequest> build_request(const LlmRequest& request) const = 0;
  // A decoder for one streamed reply; `provider` names the provider in error texts.
  virtual std::unique_ptr<StreamDecoder> new_stream_decoder(std::string provider) const = 0;
  // Parses a whole 2xx JSON body (non-streaming calls, or a server that ignored "stream": true).
  virtual Result<Completion> parse_completion(std::string_view provider, std::string_view body) const = 0;
};

}  // namespace aw::processor::providers
