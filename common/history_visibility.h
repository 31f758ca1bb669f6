// Who sees which chat row (agent-runtime.md §3.1, §3.3 step 1, §6 steps 2-4): sender classification, turn-limit
// notices, per-agent visibility and the per-agent history window. One implementation shared by the gateway (it
// selects history[A.id] for the work item) and the processor (routing and the rows its attempt adds), so both
// agree row for row.
// `agent_ids` is always the world's agent ids as stored (kebab-case), compared with lowercase(trim(sender)).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aw::routing {

enum class SenderKind { Human, World, System, Agent };

// §3.1: lowercase(trim(sender)), the form every sender comparison uses.
std::string normalize_sender(std::string_view sender);

// §3.1 on lowercase(trim(sender)): `system`, `world`, an agent id, anything else HUMAN.
SenderKind classify_sender(std::string_view sender, const std::vector<std::string_view>& agent_ids);

// §3.3 step 1: the sender is an agent of the world and the content starts with `@human Turn limit reached`.
bool is_turn_limit_notice(std::string_view sender, std::string_view content,
                          const std::vector<std::string_view>& agent_ids);

// §6 step 2 without the per-messageId and trigger checks: false for empty contents, SYSTEM senders and turn-limit
// notices, which no agent ever sees.
bool is_history_candidate(std::string_view sender, std::string_view content,
                          const std::vector<std::string_view>& agent_ids);

// §6 step 3: whether a row from `sender` with `content` is visible to agent `agent_id`: its own rows, WORLD rows,
// HUMAN rows that mention nobody or mention A at a paragraph start, AGENT rows that mention A at a paragraph start.
bool row_visible_to(std::string_view agent_id, std::string_view sender, std::string_view content,
                    const std::vector<std::string_view>& agent_ids);

// One stored row as the history selection reads it (views into the caller's rows).
struct HistoryRowView {
  std::string_view message_id;
  std::string_view sender;
  std::string_view content;
};

// §6 steps 2-4 for agent `agent_id` over `rows` in storage order (oldest first): the first row per messageId,
// without `trigger_id`, non-candidates and rows not visible to the agent, then the last `window` of them.
// Returns indexes into `rows`, oldest first. A window below 0 counts as 0.
std::vector<std::size_t> select_agent_history(const std::vector<HistoryRowView>& rows, std::string_view agent_id,
                                              std::string_view trigger_id,
                                              const std::vector<std::string_view>& agent_ids, std::int64_t window);

}  // namespace aw::routing
