// Row visibility and per-agent history selection (see history_visibility.h).
#include "common/history_visibility.h"

#include <algorithm>
#include <unordered_set>

#include "common/mentions.h"

namespace aw::routing {
namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

constexpr std::string_view kNoticePrefix = "@human Turn limit reached";

}  // namespace

std::string normalize_sender(std::string_view sender) {
  std::size_t begin = 0;
  std::size_t end = sender.size();
  while (begin < end && is_ascii_space(sender[begin])) ++begin;
  while (end > begin && is_ascii_space(sender[end - 1])) --end;
  std::string out(sender.substr(begin, end - begin));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

SenderKind classify_sender(std::string_view sender, const std::vector<std::string_view>& agent_ids) {
  const std::string lowered = normalize_sender(sender);
  if (lowered == "system") return SenderKind::System;
  if (lowered == "world") return SenderKind::World;
  if (std::find(agent_ids.begin(), agent_ids.end(), lowered) != agent_ids.end()) return SenderKind::Agent;
  return SenderKind::Human;
}

bool is_turn_limit_notice(std::string_view sender, std::string_view content,
                          const std::vector<std::string_view>& agent_ids) {
  return content.substr(0, kNoticePrefix.size()) == kNoticePrefix &&
         classify_sender(sender, agent_ids) == SenderKind::Agent;
}

bool is_history_candidate(std::string_view sender, std::string_view content,
                          const std::vector<std::string_view>& agent_ids) {
  if (content.empty()) return false;
  if (classify_sender(sender, agent_ids) == SenderKind::System) return false;
  return !is_turn_limit_notice(sender, content, agent_ids);
}

bool row_visible_to(std::string_view agent_id, std::string_view sender, std::string_view content,
                    const std::vector<std::string_view>& agent_ids) {
  if (normalize_sender(sender) == agent_id) return true;  // A's own row
  switch (classify_sender(sender, agent_ids)) {
    case SenderKind::World:
      return true;
    case SenderKind::Human:
      return !has_any_mention(content) || mentions_at_paragraph_start(content, agent_id);
    case SenderKind::Agent:
      return mentions_at_paragraph_start(content, agent_id);
    case SenderKind::System:
      return false;
  }
  return false;
}

std::vector<std::size_t> select_agent_history(const std::vector<HistoryRowView>& rows, std::string_view agent_id,
                                              std::string_view trigger_id,
                                              const std::vector<std::string_view>& agent_ids, std::int64_t window) {
  std::vector<std::size_t> kept;
  std::unordered_set<std::string_view> seen;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const HistoryRowView& row = rows[i];
    // Dedupe before any filter: a later copy of a dropped row must not come back.
    if (!seen.insert(row.message_id).second) continue;
    if (row.message_id == trigger_id) continue;
    if (!is_history_candidate(row.sender, row.content, agent_ids)) continue;
    if (!row_visible_to(agent_id, row.sender, row.content, agent_ids)) continue;
    kept.push_back(i);
  }
  const std::size_t n = static_cast<std::size_t>(std::max<std::int64_t>(window, 0));
  if (kept.size() > n) kept.erase(kept.begin(), kept.end() - static_cast<std::ptrdiff_t>(n));
  return kept;
}

}  // namespace aw::routing
