// ConcurrencyLimitedClient (see concurrency_limiter.h).
#include "processor/providers/concurrency_limiter.h"

#include <algorithm>
#include <string>

namespace aw::processor::providers {

ConcurrencyLimitedClient::ConcurrencyLimitedClient(std::unique_ptr<LlmClient> inner, int max_in_flight, int max_waiting)
    : inner_(std::move(inner)), state_(std::make_shared<State>(std::max(1, max_in_flight), std::max(0, max_waiting))) {}

LlmResult ConcurrencyLimitedClient::complete(const LlmRequest& request,
                                             const std::function<void(std::string_view)>& on_delta,
                                             const CancelToken& cancel) {
  State& s = *state_;
  {
    std::unique_lock<std::mutex> lock(s.mutex);
    // FIFO: a newcomer may only take a free slot when nobody is waiting ahead of it.
    if (s.in_flight >= s.max_in_flight || !s.queue.empty()) {
      if (static_cast<int>(s.queue.size()) >= s.max_waiting) {
        LlmResult full;
        full.error_text = "LLM queue is full (" + std::to_string(s.queue.size()) + " items). Please try again later.";
        return full;
      }
      const std::uint64_t ticket = s.next_ticket++;
      s.queue.push_back(ticket);
      lock.unlock();
      std::weak_ptr<State> weak = state_;
      // A copy shares the token's state; on_cancel is not const, and the caller's token is.
      CancelToken token = cancel;
      const std::uint64_t callback_id = token.on_cancel([weak] {
        if (auto st = weak.lock()) {
          std::lock_guard<std::mutex> guard(st->mutex);
          st->changed.notify_all();
        }
      });
      lock.lock();
      s.changed.wait(
          lock, [&] { return cancel.is_cancelled() || (s.queue.front() == ticket && s.in_flight < s.max_in_flight); });
      s.queue.erase(std::find(s.queue.begin(), s.queue.end(), ticket));
      const bool granted = !cancel.is_cancelled();
      if (granted) ++s.in_flight;
      // The next in line may now be at the front with a free slot (or a slot was freed while we left).
      s.changed.notify_all();
      lock.unlock();
      token.remove_callback(callback_id);
      if (!granted) {
        LlmResult cancelled;
        std::string reason = cancel.reason();
        cancelled.error_text = reason.empty() ? "Cancelled" : std::move(reason);
        return cancelled;
      }
    } else {
      ++s.in_flight;
    }
  }
  struct Release {
    State& s;
    ~Release() {
      std::lock_guard<std::mutex> lock(s.mutex);
      --s.in_flight;
      s.changed.notify_all();
    }
  } release{s};
  return inner_->complete(request, on_delta, cancel);
}

int ConcurrencyLimitedClient::in_flight() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->in_flight;
}

int ConcurrencyLimitedClient::waiting() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return static_cast<int>(state_->queue.size());
}

}  // namespace aw::processor::providers
