// The socket-free HTTP client of the runtime benchmarks (see replay_http_client.h).
#include "bench/runtime/replay_http_client.h"

#include <utility>

#include "bench/runtime/sse_bodies.h"

namespace aw::bench::runtime {
namespace {

processor::providers::HttpResponseHead event_stream_head() {
  processor::providers::HttpResponseHead head;
  head.status = 200;
  head.reason_phrase = "OK";
  head.headers.push_back({"Content-Type", "text/event-stream; charset=utf-8"});
  return head;
}

}  // namespace

ReplayHttpClient::ReplayHttpClient(std::string body, std::size_t read_bytes)
    : body_(std::move(body)), reads_(plan_reads(body_, read_bytes)), head_(event_stream_head()) {}

processor::providers::HttpOutcome ReplayHttpClient::post(const processor::providers::HttpRequest&,
                                                         processor::providers::HttpStreamHandler& handler,
                                                         const processor::CancelToken& cancel) {
  processor::providers::HttpOutcome outcome;
  outcome.head_received = true;
  if (!handler.on_head(head_)) {
    outcome.stopped_by_handler = true;
    return outcome;
  }
  for (std::string_view read : reads_) {
    if (cancel.is_cancelled()) {
      outcome.failure = processor::providers::HttpFailure::Cancelled;
      return outcome;
    }
    if (!handler.on_body(read)) {
      outcome.stopped_by_handler = true;
      return outcome;
    }
  }
  return outcome;
}

}  // namespace aw::bench::runtime
