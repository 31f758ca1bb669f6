// Mention grammar (see mentions.h).
#include "common/mentions.h"

#include <algorithm>

namespace aw::routing {
namespace {

// ASCII letter, digit or '_'; any other byte (including non-ASCII) ends a name.
bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::optional<Mention> mention_at(std::string_view text, std::size_t pos) {
  if (pos >= text.size() || text[pos] != '@') return std::nullopt;
  if (pos > 0) {
    char prev = text[pos - 1];
    if (is_name_char(prev) || prev == '@') return std::nullopt;
  }
  std::size_t i = pos + 1;
  if (i >= text.size() || !is_name_char(text[i])) return std::nullopt;
  while (i < text.size() && is_name_char(text[i])) ++i;
  // `_` is already a name character, so only `-` joins groups; a trailing `-` is not part of the name.
  while (i + 1 < text.size() && text[i] == '-' && is_name_char(text[i + 1])) {
    ++i;
    while (i < text.size() && is_name_char(text[i])) ++i;
  }
  Mention m;
  m.begin = pos;
  m.end = i;
  m.token = normalize_mention(text.substr(pos + 1, i - pos - 1));
  return m;
}

std::string normalize_mention(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '_') c = '-';
  }
  return out;
}

std::size_t indentation_end(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
  return i;
}

std::vector<std::string> paragraph_beginning_mentions(std::string_view text) {
  std::vector<std::string> out;
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    std::size_t nl = text.find('\n', line_start);
    std::size_t line_end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(line_start, line_end - line_start);
    // Checked within the line so that the character before '@' is the indentation or the line start.
    if (auto m = mention_at(line, indentation_end(line))) out.push_back(std::move(m->token));
    if (nl == std::string_view::npos) break;
    line_start = nl + 1;
  }
  return out;
}

bool has_any_mention(std::string_view text) {
  for (std::size_t pos = text.find('@'); pos != std::string_view::npos; pos = text.find('@', pos + 1)) {
    if (mention_at(text, pos)) return true;
  }
  return false;
}

bool mentions_at_paragraph_start(std::string_view text, std::string_view id) {
  const std::vector<std::string> tokens = paragraph_beginning_mentions(text);
  return std::find(tokens.begin(), tokens.end(), id) != tokens.end();
}

}  // namespace aw::routing
