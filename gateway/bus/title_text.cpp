// Title texts (see title_text.h).
#include "gateway/bus/title_text.h"

#include <algorithm>

#include "common/history_visibility.h"

namespace aw::gateway::bus {
namespace {

using aw::routing::SenderKind;

// The agent ids as the shared sender rules take them (common/history_visibility.h).
std::vector<std::string_view> id_views(const std::vector<std::string>& agent_ids) {
  return std::vector<std::string_view>(agent_ids.begin(), agent_ids.end());
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Runs of whitespace become one space; leading and trailing whitespace go.
std::string collapse_whitespace(std::string_view s) {
  std::string out;
  bool pending_space = false;
  for (char c : s) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// Byte length of the first `max_chars` UTF-8 code points of `s` (all of it when shorter).
std::size_t prefix_bytes(std::string_view s, std::size_t max_chars, bool* cut = nullptr) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) {
      if (cut != nullptr) *cut = true;
      return i;
    }
    ++chars;
  }
  if (cut != nullptr) *cut = false;
  return s.size();
}

bool is_quote(char c) { return c == '"' || c == '\''; }

}  // namespace

std::vector<std::string> title_lines(const std::vector<storage::ConversationMessage>& messages,
                                     const std::vector<std::string>& agent_ids) {
  std::vector<std::string> lines;
  const std::vector<std::string_view> ids = id_views(agent_ids);
  for (const storage::ConversationMessage& m : messages) {
    const SenderKind kind = aw::routing::classify_sender(m.sender, ids);
    if (kind == SenderKind::System) continue;
    if (aw::routing::is_turn_limit_notice(m.sender, m.content, ids)) continue;
    const std::string_view content(m.content);
    std::string line = kind == SenderKind::Agent ? "-assistant: " : "-user: ";
    line += content.substr(0, prefix_bytes(content, kTitleLineMaxChars));
    lines.push_back(std::move(line));
  }
  if (lines.size() > kTitleLineCount) lines.erase(lines.begin(), lines.end() - kTitleLineCount);
  return lines;
}

std::string clean_title(std::string_view raw) {
  std::string s = collapse_whitespace(raw);  // trims too
  std::string_view v(s);
  if (!v.empty() && is_quote(v.front())) v.remove_prefix(1);
  if (!v.empty() && is_quote(v.back())) v.remove_suffix(1);
  std::string replaced;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\n' || v[i] == '\r' || v[i] == '*') {
      if (replaced.empty() || replaced.back() != ' ') replaced.push_back(' ');
      while (i + 1 < v.size() && (v[i + 1] == '\n' || v[i + 1] == '\r' || v[i + 1] == '*')) ++i;
      continue;
    }
    replaced.push_back(v[i]);
  }
  std::string out = collapse_whitespace(replaced);
  bool cut = false;
  const std::size_t keep = prefix_bytes(out, kTitleMaxChars, &cut);
  if (cut) {
    out.resize(prefix_bytes(out, kTitleMaxChars - 3));
    out += "...";
  } else {
    out.resize(keep);
  }
  return out;
}

std::string derived_title(const std::vector<storage::ConversationMessage>& messages,
                          const std::vector<std::string>& agent_ids) {
  const std::vector<std::string_view> ids = id_views(agent_ids);
  for (const storage::ConversationMessage& m : messages) {
    if (aw::routing::classify_sender(m.sender, ids) != SenderKind::Human) continue;
    std::string text = collapse_whitespace(m.content);
    if (text.empty()) continue;
    text.resize(prefix_bytes(text, kDerivedTitleMaxChars));
    return text;
  }
  return std::string(kDerivedTitleFallback);
}

}  // namespace aw::gateway::bus
