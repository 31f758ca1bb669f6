// SoakTally: what one load connection saw and did (named counters, the valid messages it sent and those that
// completed) and the violations it found, each a line saying what was expected and what came. Each connection
// owns one; a load run merges them after its threads have joined, so no tally is ever shared between threads.
// Thread-safety: a plain value, one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace aw::test {

class SoakTally {
 public:
  // Adds `n` to the counter `name` (created at 0).
  void add(const std::string& name, std::uint64_t n = 1) { counters_[name] += n; }
  std::uint64_t get(const std::string& name) const;
  const std::map<std::string, std::uint64_t>& counters() const { return counters_; }

  // Records a broken expectation. Only the first kMaxViolationTexts texts are kept; all are counted.
  void violation(std::string text);
  std::uint64_t violation_count() const { return violation_count_; }
  const std::vector<std::string>& violation_texts() const { return violation_texts_; }

  // A valid message the gateway acknowledged as queued, and its world.
  void message_queued(const std::string& message_id, const std::string& world_id);
  // A `completed` lifecycle status for it.
  void message_completed(const std::string& message_id) { completed_.insert(message_id); }
  const std::map<std::string, std::string>& queued() const { return queued_; }
  const std::set<std::string>& completed() const { return completed_; }

  // Adds everything of `other` to this tally.
  void merge(const SoakTally& other);

 private:
  static constexpr std::size_t kMaxViolationTexts = 40;

  std::map<std::string, std::uint64_t> counters_;
  std::uint64_t violation_count_ = 0;
  std::vector<std::string> violation_texts_;
  std::map<std::string, std::string> queued_;  // messageId -> worldId
  std::set<std::string> completed_;
};

}  // namespace aw::test
