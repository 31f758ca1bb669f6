// Commit serialisation (see commit.h).
#include "processor/runtime/commit.h"

#include "processor/runtime/json_object_writer.h"

namespace aw::processor {

std::string_view commit_outcome_name(CommitOutcome outcome) {
  switch (outcome) {
    case CommitOutcome::Completed:
      return "completed";
    case CommitOutcome::Cancelled:
      return "cancelled";
    case CommitOutcome::RunTimeout:
      return "run_timeout";
  }
  return "completed";
}

std::string commit_to_json(const Commit& commit, std::string_view processor_id) {
  std::vector<std::string> messages;
  messages.reserve(commit.messages.size());
  for (const auto& m : commit.messages) messages.push_back(chat_message_json(m));
  std::vector<std::string> memory;
  memory.reserve(commit.memory.size());
  for (const auto& row : commit.memory) memory.push_back(memory_row_json(row));
  std::vector<std::string> agents;
  agents.reserve(commit.agents.size());
  for (const auto& a : commit.agents) {
    JsonObjectWriter w;
    w.string("id", a.id).integer("rev", a.rev).integer("llmCallCount", a.llm_call_count);
    if (a.last_llm_call) w.string("lastLLMCall", *a.last_llm_call);
    if (a.last_active) w.string("lastActive", *a.last_active);
    agents.push_back(w.finish());
  }
  JsonObjectWriter w;
  w.integer("v", 1)
      .string("kind", "commit")
      .string("processorId", processor_id)
      .string("worldId", commit.world_id)
      .string("runId", commit.run_id)
      .integer("attempt", commit.attempt)
      .integer("lastIndex", commit.last_index)
      .string("outcome", commit_outcome_name(commit.outcome))
      .raw("messages", json_array(messages))
      .raw("memory", json_array(memory))
      .raw("agents", json_array(agents));
  return w.finish();
}

}  // namespace aw::processor
