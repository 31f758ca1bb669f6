// Mentions (agent-runtime.md §3.2): `@` + name, where a name is ASCII letters, digits and `_`, optionally followed by
// groups of `-`/`_` + more such characters; the `@` must start the text or follow a character that is not an ASCII
// letter, digit, `_` or `@` (so `x@y.com` and `@@double` are no mentions). Tokens compare lowercased with `_` read
// as `-`, which is how they meet kebab-case agent ids. Shared by the gateway (per-agent history, §6) and the
// processor (routing §3.3, prompts §6) so both read a message the same way.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aw::routing {

struct Mention {
  std::size_t begin = 0;  // index of the '@'
  std::size_t end = 0;    // one past the last name character
  std::string token;      // normalised: lowercase, '_' -> '-'
};

// The mention whose '@' is at text[pos], or nullopt when the grammar does not allow one there.
std::optional<Mention> mention_at(std::string_view text, std::size_t pos);

// lowercase, '_' read as '-'.
std::string normalize_mention(std::string_view name);

// Index of the first character of `line` after its indentation (spaces, tabs and '\r').
std::size_t indentation_end(std::string_view line);

// One token per line (split on '\n') whose text, after its indentation, starts with a mention; in line order.
std::vector<std::string> paragraph_beginning_mentions(std::string_view text);

// True when the text holds at least one mention anywhere.
bool has_any_mention(std::string_view text);

// True when `id` (an agent id, already kebab-case) is among the paragraph-beginning mentions of `text`.
bool mentions_at_paragraph_start(std::string_view text, std::string_view id);

}  // namespace aw::routing
