// CancelToken (see llm_client.h).
#include "processor/llm/llm_client.h"

namespace aw::processor {

void CancelToken::cancel(std::string reason) {
  std::vector<std::function<void()>> to_run;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (state_->cancelled.load()) return;
    state_->reason = std::move(reason);
    state_->cancelled.store(true);
    for (auto& entry : state_->callbacks) to_run.push_back(std::move(entry.second));
    state_->callbacks.clear();
  }
  // Outside the lock: a callback may take its own locks (never call out while holding ours).
  for (auto& f : to_run) f();
}

std::string CancelToken::reason() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->reason;
}

std::uint64_t CancelToken::on_cancel(std::function<void()> callback) {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (!state_->cancelled.load()) {
      std::uint64_t id = state_->next_id++;
      state_->callbacks.emplace_back(id, std::move(callback));
      return id;
    }
  }
  callback();
  return 0;
}

void CancelToken::remove_callback(std::uint64_t id) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  for (auto it = state_->callbacks.begin(); it != state_->callbacks.end(); ++it) {
    if (it->first == id) {
      state_->callbacks.erase(it);
      return;
    }
  }
}

}  // namespace aw::processor
