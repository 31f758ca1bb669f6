// SoakTally (see soak_tally.h).
#include "tests/soak/soak_tally.h"

#include <utility>

namespace aw::test {

std::uint64_t SoakTally::get(const std::string& name) const {
  const auto it = counters_.find(name);
  return it == counters_.end() ? 0 : it->second;
}

void SoakTally::violation(std::string text) {
  ++violation_count_;
  if (violation_texts_.size() < kMaxViolationTexts) violation_texts_.push_back(std::move(text));
}

void SoakTally::message_queued(const std::string& message_id, const std::string& world_id) {
  queued_.emplace(message_id, world_id);
}

void SoakTally::merge(const SoakTally& other) {
  for (const auto& [name, n] : other.counters_) counters_[name] += n;
  violation_count_ += other.violation_count_;
  for (const std::string& text : other.violation_texts_) {
    if (violation_texts_.size() < kMaxViolationTexts) violation_texts_.push_back(text);
  }
  queued_.insert(other.queued_.begin(), other.queued_.end());
  completed_.insert(other.completed_.begin(), other.completed_.end());
}

}  // namespace aw::test
