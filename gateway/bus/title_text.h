// Title texts of agent-runtime.md §10.2, gateway side: the `lines` of a title job, the clean-up of a processor's raw
// completion and the derived title. Lengths count UTF-8 code points, so a cut never splits a character.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gateway/storage/conversation_store.h"

namespace aw::gateway::bus {

inline constexpr std::size_t kTitleLineCount = 20;      // newest conversation messages sent as lines
inline constexpr std::size_t kTitleLineMaxChars = 500;  // content cut per line
inline constexpr std::size_t kTitleMaxChars = 100;      // longer cleaned titles become 97 chars + "..."
inline constexpr std::size_t kDerivedTitleMaxChars = 50;
inline constexpr std::string_view kDerivedTitleFallback = "Chat";

// `-user: <content>` (HUMAN and WORLD senders) or `-assistant: <content>` (agents of `agent_ids`), one per message
// of the chat, the last 20, SYSTEM senders and turn-limit notices excluded, content cut to 500 characters.
std::vector<std::string> title_lines(const std::vector<storage::ConversationMessage>& messages,
                                     const std::vector<std::string>& agent_ids);

// The clean-up of a raw completion; may return "" (then the derived title is used).
std::string clean_title(std::string_view raw);

// The first non-blank HUMAN message, whitespace collapsed, first 50 characters; else "Chat".
std::string derived_title(const std::vector<storage::ConversationMessage>& messages,
                          const std::vector<std::string>& agent_ids);

}  // namespace aw::gateway::bus
