// Splitting reply text into stream chunks (see text_split.h).
#include "tools/aw-fake-llm/text_split.h"

namespace aw::fake_llm {

namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  std::size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;  // leading whitespace joins the first word
  while (i < text.size()) {
    while (i < text.size() && !is_space(text[i])) ++i;
    while (i < text.size() && is_space(text[i])) ++i;
    pieces.emplace_back(text.substr(start, i - start));
    start = i;
  }
  if (start < text.size()) pieces.emplace_back(text.substr(start));  // whitespace only
  return pieces;
}

std::vector<std::string> split_code_points(std::string_view text, std::size_t code_points) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  std::size_t i = 0;
  std::size_t counted = 0;
  while (i < text.size()) {
    ++i;
    while (i < text.size() && is_continuation(text[i])) ++i;
    if (++counted == code_points) {
      pieces.emplace_back(text.substr(start, i - start));
      start = i;
      counted = 0;
    }
  }
  if (start < text.size()) pieces.emplace_back(text.substr(start));
  return pieces;
}

std::int64_t count_code_points(std::string_view s) {
  std::int64_t n = 0;
  for (char c : s) {
    if (!is_continuation(c)) ++n;
  }
  return n;
}

}  // namespace aw::fake_llm
