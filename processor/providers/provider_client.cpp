// ProviderClient (see provider_client.h).
#include "processor/providers/provider_client.h"

#include <condition_variable>
#include <mutex>
#include <random>

#include "processor/providers/response_reader.h"

namespace aw::processor::providers {
namespace {

LlmResult error_result(std::string text) {
  LlmResult r;
  r.error_text = std::move(text);
  return r;
}

double random_jitter() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(-1.0, 1.0)(engine);
}

std::string cancel_reason(const CancelToken& cancel) {
  std::string reason = cancel.reason();
  return reason.empty() ? "Cancelled" : reason;
}

std::int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

bool wait_unless_cancelled(std::chrono::milliseconds delay, const CancelToken& cancel) {
  // Shared with the cancel callback, which may run after this function returned.
  struct WaitState {
    std::mutex mutex;
    std::condition_variable cv;
    bool cancelled = false;
  };
  auto state = std::make_shared<WaitState>();
  CancelToken token = cancel;  // a copy shares the state; on_cancel is not const
  const std::uint64_t id = token.on_cancel([state] {
    std::lock_guard<std::mutex> lock(state->mutex);
    state->cancelled = true;
    state->cv.notify_all();
  });
  bool cancelled;
  {
    std::unique_lock<std::mutex> lock(state->mutex);
    state->cv.wait_for(lock, delay, [&] { return state->cancelled; });
    cancelled = state->cancelled;
  }
  token.remove_callback(id);
  return !cancelled;
}

ProviderClient::ProviderClient(ProtocolMap protocols, std::shared_ptr<HttpStreamClient> http, RetryPolicy retry,
                               Logger logger, JitterSource jitter)
    : protocols_(std::move(protocols)),
      http_(std::move(http)),
      retry_(retry),
      logger_(std::move(logger)),
      jitter_(jitter ? std::move(jitter) : JitterSource(random_jitter)) {}

LlmResult ProviderClient::complete(const LlmRequest& request, const std::function<void(std::string_view)>& on_delta,
                                   const CancelToken& cancel) {
  if (cancel.is_cancelled()) return error_result(cancel_reason(cancel));
  auto found = protocols_.find(request.provider);
  if (found == protocols_.end()) {
    return error_result("No configuration found for " + request.provider + " provider.");
  }
  const ProviderProtocol& protocol = *found->second;
  auto http_request = protocol.build_request(request);
  if (!http_request.is_ok()) return error_result(http_request.status().message());
  http_request->timeout = request.timeout;

  for (int attempt = 1;; ++attempt) {
    const auto started = std::chrono::steady_clock::now();
    ResponseReader reader(protocol, request.provider, request.stream, on_delta);
    HttpOutcome outcome = http_->post(http_request.value(), reader, cancel);
    AttemptResult r = reader.finish(outcome, cancel);
    logger_.debug("llm request ended", {{"provider", request.provider},
                                        {"model", request.model},
                                        {"attempt", attempt},
                                        {"status", r.status},
                                        {"ok", r.result.ok},
                                        {"text_bytes", static_cast<std::uint64_t>(r.result.text.size())},
                                        {"duration_ms", elapsed_ms(started)}});
    if (r.result.ok) return std::move(r.result);
    if (!r.retryable || r.result.any_delta || attempt > retry_.max_retries) {
      if (outcome.failure == HttpFailure::Connection) {
        // The library's words are for operators only; clients see "Connection error.".
        logger_.warn("llm connection failed", {{"provider", request.provider}, {"detail", outcome.detail}});
      }
      return std::move(r.result);
    }
    std::chrono::milliseconds delay = backoff_delay(retry_.base_delay, attempt, jitter_());
    if (r.retry_after) {
      if (auto asked = parse_retry_after(*r.retry_after, std::chrono::system_clock::now())) delay = *asked;
    }
    logger_.warn("llm request failed, retrying", {{"provider", request.provider},
                                                  {"attempt", attempt},
                                                  {"status", r.status},
                                                  {"error", r.result.error_text},
                                                  {"delay_ms", static_cast<std::int64_t>(delay.count())}});
    if (!wait_unless_cancelled(delay, cancel)) return error_result(cancel_reason(cancel));
  }
}

}  // namespace aw::processor::providers
