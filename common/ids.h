// Identifiers (agent-runtime.md §1): kebab-case ids for worlds and agents, random ids for chats, runtime messages,
// activity events, epochs and processes.
// Thread-safety: free functions, safe from any thread (the random source is thread-local).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/time_util.h"

namespace aw {

// Maximum length of a world or agent id.
inline constexpr std::size_t kMaxIdLength = 100;

// The kebab-case function of agent-runtime.md §1. May return "" (callers reject such input).
std::string kebab_case(std::string_view input);

// `length` characters from A-Za-z0-9_- (URL-safe), from a cryptographically seeded generator.
std::string random_id(std::size_t length);

// `length` characters from 0-9a-z.
std::string random_base36(std::size_t length);

// chat-<epoch ms>-<9 random base36 chars>
std::string new_chat_id(EpochMs now);

// A world's event-log epoch: 22 URL-safe characters.
std::string new_epoch();

// Runtime message id (21 chars) and activity event id (10 chars).
inline std::string new_message_id() { return random_id(21); }
inline std::string new_activity_event_id() { return random_id(10); }

}  // namespace aw
