// InboundQueue (see inbound_queue.h).
#include "gateway/bus/inbound_queue.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace aw::gateway::bus {

bool InboundQueue::add(InboundBatch&& batch) {
  std::lock_guard<std::mutex> lock(mutex_);
  queued_.insert(queued_.end(), std::make_move_iterator(batch.messages.begin()),
                 std::make_move_iterator(batch.messages.end()));
  counters_.dropped_invalid += batch.dropped_invalid;
  counters_.dropped_version += batch.dropped_version;
  counters_.auth_denied += batch.auth_denied;
  if (drain_pending_) return false;
  drain_pending_ = true;
  return true;
}

InboundBatch InboundQueue::take() {
  std::lock_guard<std::mutex> lock(mutex_);
  InboundBatch out;
  const std::size_t n = std::min(queued_.size(), max_take_);
  out.messages.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.messages.push_back(std::move(queued_.front()));
    queued_.pop_front();
  }
  out.dropped_invalid = std::exchange(counters_.dropped_invalid, 0);
  out.dropped_version = std::exchange(counters_.dropped_version, 0);
  out.auth_denied = std::exchange(counters_.auth_denied, 0);
  return out;
}

bool InboundQueue::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  // Counters added while the batch was handled need a drain too: nothing else may come to carry them.
  const bool counters_waiting =
      counters_.dropped_invalid != 0 || counters_.dropped_version != 0 || counters_.auth_denied != 0;
  if (!queued_.empty() || counters_waiting) return true;
  drain_pending_ = false;
  return false;
}

}  // namespace aw::gateway::bus
