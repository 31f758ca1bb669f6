// ReplayHttpClient: an HttpStreamClient without a socket, for the runtime benchmarks. Every post() answers 200 with
// an event-stream content type and hands the same pre-built body to the handler in the planned reads, so that
// ProviderClient, ResponseReader, SseParser and the provider's StreamDecoder run exactly as over HTTP, minus the
// network.
// Thread-safety: post() may be called from several threads at once (the body and the plan are immutable).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "processor/providers/http_stream_client.h"

namespace aw::bench::runtime {

class ReplayHttpClient : public processor::providers::HttpStreamClient {
 public:
  // read_bytes as for plan_reads(): 0 = one read per line.
  ReplayHttpClient(std::string body, std::size_t read_bytes);
  ReplayHttpClient(const ReplayHttpClient&) = delete;
  ReplayHttpClient& operator=(const ReplayHttpClient&) = delete;

  std::size_t body_bytes() const { return body_.size(); }
  std::size_t reads() const { return reads_.size(); }

  // HttpStreamClient
  processor::providers::HttpOutcome post(const processor::providers::HttpRequest& request,
                                         processor::providers::HttpStreamHandler& handler,
                                         const processor::CancelToken& cancel) override;

 private:
  const std::string body_;
  const std::vector<std::string_view> reads_;  // views into body_
  const processor::providers::HttpResponseHead head_;
};

}  // namespace aw::bench::runtime
