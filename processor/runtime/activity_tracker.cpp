// Run-scoped activity accounting (see activity_tracker.h).
#include "processor/runtime/activity_tracker.h"

#include <algorithm>

namespace aw::processor {

std::string_view activity_type_name(ActivityType type) {
  switch (type) {
    case ActivityType::ResponseStart:
      return "response-start";
    case ActivityType::ResponseEnd:
      return "response-end";
    case ActivityType::Idle:
      return "idle";
  }
  return "idle";
}

ActivitySnapshot ActivityTracker::schedule(const std::string& agent_id) {
  entries_.push_back({agent_id, false});
  return snapshot(ActivityType::ResponseStart, agent_id);
}

void ActivityTracker::begin(const std::string& agent_id) {
  for (auto& entry : entries_) {
    if (!entry.started && entry.agent_id == agent_id) {
      entry.started = true;
      return;
    }
  }
}

ActivitySnapshot ActivityTracker::complete(const std::string& agent_id) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.started && e.agent_id == agent_id; });
  if (it != entries_.end()) entries_.erase(it);
  return snapshot(entries_.empty() ? ActivityType::Idle : ActivityType::ResponseEnd, agent_id);
}

std::vector<std::string> ActivityTracker::drop_waiting() {
  std::vector<std::string> dropped;
  auto keep = std::stable_partition(entries_.begin(), entries_.end(), [](const Entry& e) { return e.started; });
  for (auto it = keep; it != entries_.end(); ++it) dropped.push_back(it->agent_id);
  entries_.erase(keep, entries_.end());
  return dropped;
}

ActivitySnapshot ActivityTracker::idle(std::optional<std::string> source_agent_id) const {
  return snapshot(ActivityType::Idle, source_agent_id);
}

ActivitySnapshot ActivityTracker::snapshot(ActivityType type, const std::optional<std::string>& source_agent_id) const {
  ActivitySnapshot s;
  s.type = type;
  s.pending_operations = pending();
  if (source_agent_id) s.source = "agent:" + *source_agent_id;
  for (const auto& entry : entries_) {
    std::string source = "agent:" + entry.agent_id;
    if (std::find(s.active_sources.begin(), s.active_sources.end(), source) == s.active_sources.end()) {
      s.active_sources.push_back(std::move(source));
    }
    if (!entry.started) {
      ++s.queue_length;
      if (!s.next_agent) s.next_agent = entry.agent_id;
    }
  }
  s.processing = llm_in_flight_;
  return s;
}

}  // namespace aw::processor
