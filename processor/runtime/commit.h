// Commit: what an attempt hands the gateway to persist, sent after its single idle (bus-protocol.md §7).
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "processor/runtime/run_records.h"

namespace aw::processor {

enum class CommitOutcome { Completed, Cancelled, RunTimeout };

// "completed" | "cancelled" | "run_timeout"
std::string_view commit_outcome_name(CommitOutcome outcome);

// Absolute counter values of an agent whose values changed in the attempt.
struct AgentCounters {
  std::string id;
  std::int64_t rev = 0;
  std::int64_t llm_call_count = 0;
  std::optional<std::string> last_llm_call;
  std::optional<std::string> last_active;
};

struct Commit {
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 0;
  std::int64_t last_index = -1;  // index of the attempt's last event, -1 when none
  CommitOutcome outcome = CommitOutcome::Completed;
  std::vector<ChatMessage> messages;  // replies and turn-limit notices, in publish order
  std::vector<MemoryRow> memory;      // rows added by the attempt, in insertion order
  std::vector<AgentCounters> agents;  // creation order
};

// The bus `commit` body: {v, kind:"commit", processorId, worldId, runId, attempt, lastIndex, outcome, messages,
// memory, agents}.
std::string commit_to_json(const Commit& commit, std::string_view processor_id);

}  // namespace aw::processor
