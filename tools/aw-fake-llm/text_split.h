// Splitting reply text into stream chunks, always on UTF-8 code point boundaries (a chunk never ends inside a
// multibyte character, so every chunk is valid UTF-8 on its own, as real providers send it).
// Thread-safety: free functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aw::fake_llm {

// Word-like pieces, the default split: each piece is a run of non-whitespace followed by the whitespace after it
// (leading whitespace belongs to the first piece). "Echo: hi  there" -> ["Echo: ", "hi  ", "there"]. "" -> [].
std::vector<std::string> split_words(std::string_view text);

// Pieces of `code_points` code points (the last may be shorter). Requires: code_points > 0. "" -> [].
std::vector<std::string> split_code_points(std::string_view text, std::size_t code_points);

// Number of UTF-8 code points of s (continuation bytes are not counted).
std::int64_t count_code_points(std::string_view s);

}  // namespace aw::fake_llm
