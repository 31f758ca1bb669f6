// ActivityTracker: the run-scoped world activity of agent-runtime.md §9. It counts the run's responses that are
// scheduled or in flight and says, for each change, which activity event to emit and with what numbers.
// Scheduling emits `response-start`; a completion emits `response-end`, or `idle` when nothing is pending any more;
// dropped responses complete silently. Exactly one idle per attempt is the run's job (AgentRun), not this class's.
// Thread-safety: a value owned by one run thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aw::processor {

enum class ActivityType { ResponseStart, ResponseEnd, Idle };

// "response-start" | "response-end" | "idle"
std::string_view activity_type_name(ActivityType type);

// The numbers of one activity event, after the change it reports.
struct ActivitySnapshot {
  ActivityType type = ActivityType::Idle;
  std::int64_t pending_operations = 0;
  std::optional<std::string> source;        // "agent:<id>"; absent on the idle of a run nobody answered
  std::vector<std::string> active_sources;  // distinct "agent:<id>" with pending work, in scheduling order
  std::int64_t queue_length = 0;            // responses waiting (scheduled, not started)
  bool processing = false;                  // an LLM request of the run is in flight
  std::optional<std::string> next_agent;    // the next waiting agent, when one waits
};

class ActivityTracker {
 public:
  // A response of `agent_id` was scheduled: pending +1.
  ActivitySnapshot schedule(const std::string& agent_id);
  // The oldest waiting response, which must be `agent_id`'s (the run queue is FIFO), starts.
  void begin(const std::string& agent_id);
  // Brackets the LLM request of the started response (the `processing` flag of the queue object).
  void set_llm_in_flight(bool in_flight) { llm_in_flight_ = in_flight; }
  // The started response of `agent_id` completed (success, empty, error): pending -1.
  ActivitySnapshot complete(const std::string& agent_id);
  // Drops every waiting response without an event; returns their agent ids in queue order.
  std::vector<std::string> drop_waiting();
  // An idle at the current state (pending must be 0), with the given source.
  ActivitySnapshot idle(std::optional<std::string> source_agent_id) const;

  std::int64_t pending() const { return static_cast<std::int64_t>(entries_.size()); }

 private:
  struct Entry {
    std::string agent_id;
    bool started = false;
  };
  ActivitySnapshot snapshot(ActivityType type, const std::optional<std::string>& source_agent_id) const;
  std::vector<Entry> entries_;  // scheduling order
  bool llm_in_flight_ = false;
};

}  // namespace aw::processor
