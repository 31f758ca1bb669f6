// Prompt building (agent-runtime.md §6): the chat messages an agent's LLM request carries.
// The gateway sends each agent's stored history already filtered and windowed; the run adds the rows its attempt
// wrote (filtered here by the same rules), dedupes by messageId, keeps the last N, renders, and appends M.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "processor/llm/llm_client.h"
#include "processor/runtime/router.h"
#include "processor/runtime/run_records.h"
#include "processor/runtime/work_item.h"

namespace aw::processor {

// The message being answered (the trigger or a reply published in the run).
struct IncomingMessage {
  std::string message_id;
  std::string content;
  std::string sender;
  std::optional<std::string> reply_to_message_id;
};

struct PromptInput {
  const AgentSnapshot* agent = nullptr;                    // the responder A
  const std::vector<RoutingAgentView>* agents = nullptr;   // all agents of the run, for sender classification
  const std::vector<MemoryRow>* stored_history = nullptr;  // history[A.id] from the work item, oldest first
  const std::vector<MemoryRow>* attempt_rows = nullptr;    // every row the attempt added so far, in order
  const IncomingMessage* message = nullptr;                // M
  std::int64_t window = 10;                                // historyWindow
};

// [system?] + the last `window` visible rows + M. Requires: every pointer of `input` set.
std::vector<LlmMessage> build_prompt(const PromptInput& input);

// §6 step 3: whether a row from `sender` with `content` is visible to agent `agent_id`.
bool row_visible_to(std::string_view agent_id, std::string_view sender, std::string_view content,
                    const std::vector<RoutingAgentView>& agents);

}  // namespace aw::processor
