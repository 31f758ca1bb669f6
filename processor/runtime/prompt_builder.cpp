// Prompt building (see prompt_builder.h).
#include "processor/runtime/prompt_builder.h"

#include <unordered_set>

#include "common/history_visibility.h"
#include "processor/runtime/text_util.h"

namespace aw::processor {
namespace {

bool is_own(std::string_view agent_id, std::string_view sender) {
  return aw::routing::normalize_sender(sender) == agent_id;
}

LlmMessage render(std::string_view agent_id, std::string_view sender, const std::string& content) {
  if (is_own(agent_id, sender)) return {"assistant", content};
  // Another agent's words are never `assistant`: they are quoted as a user turn naming the speaker.
  if (trim(sender).empty() || equals_ci(trim(sender), "human")) return {"user", content};
  return {"user", std::string(sender) + ": " + content};
}

}  // namespace

bool row_visible_to(std::string_view agent_id, std::string_view sender, std::string_view content,
                    const std::vector<RoutingAgentView>& agents) {
  std::vector<std::string_view> ids;
  ids.reserve(agents.size());
  for (const RoutingAgentView& a : agents) ids.push_back(a.id);
  return aw::routing::row_visible_to(agent_id, sender, content, ids);
}

std::vector<LlmMessage> build_prompt(const PromptInput& input) {
  const AgentSnapshot& agent = *input.agent;
  const IncomingMessage& m = *input.message;

  // Steps 2-3 on the attempt's rows; the stored rows arrive already filtered by the gateway.
  std::vector<const MemoryRow*> combined;
  for (const MemoryRow& row : *input.stored_history) combined.push_back(&row);
  std::unordered_set<std::string_view> attempt_seen;
  std::vector<std::string_view> ids;
  for (const RoutingAgentView& a : *input.agents) ids.push_back(a.id);
  for (const MemoryRow& row : *input.attempt_rows) {
    if (!attempt_seen.insert(row.message_id).second) continue;  // the first row per messageId
    if (!aw::routing::is_history_candidate(row.sender, row.content, ids)) continue;
    if (!aw::routing::row_visible_to(agent.id, row.sender, row.content, ids)) continue;
    combined.push_back(&row);
  }

  // Dedupe across both sources and drop M, then keep the last N.
  std::vector<const MemoryRow*> rows;
  std::unordered_set<std::string_view> seen{m.message_id};
  for (const MemoryRow* row : combined) {
    if (seen.insert(row->message_id).second) rows.push_back(row);
  }
  const std::size_t window = static_cast<std::size_t>(input.window < 0 ? 0 : input.window);
  const std::size_t first = rows.size() > window ? rows.size() - window : 0;

  std::vector<LlmMessage> prompt;
  prompt.reserve(rows.size() - first + 2);
  if (agent.system_prompt && !is_blank(*agent.system_prompt)) prompt.push_back({"system", *agent.system_prompt});
  for (std::size_t i = first; i < rows.size(); ++i) {
    prompt.push_back(render(agent.id, rows[i]->sender, rows[i]->content));
  }
  LlmMessage last = render(agent.id, m.sender, m.content);
  last.role = "user";  // M is always the last user turn (own messages are never answered)
  prompt.push_back(std::move(last));
  return prompt;
}

}  // namespace aw::processor
