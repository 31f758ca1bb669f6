// Small ASCII text helpers shared by routing, post-processing and prompt building (agent-runtime.md §3, §5.1, §6).
// All of them are byte-oriented on purpose: the grammar of the spec is ASCII, and any non-ASCII byte simply counts
// as "not a name character" and "not whitespace".
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace aw::processor {

// Space, tab, \n, \r, \f, \v.
bool is_ascii_space(char c);
// ASCII letter, digit or '_': a character of a mention name (§3.2).
bool is_name_char(char c);

std::string to_lower_ascii(std::string_view s);
// Removes leading and trailing ASCII whitespace.
std::string_view trim(std::string_view s);
// True when s is empty or only ASCII whitespace.
bool is_blank(std::string_view s);
// Case-insensitive (ASCII) prefix and equality tests.
bool starts_with_ci(std::string_view s, std::string_view prefix);
bool equals_ci(std::string_view a, std::string_view b);

}  // namespace aw::processor
