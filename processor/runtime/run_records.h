// The records a run reads and writes (agent-runtime.md §2.4, §2.5): memory rows and conversation messages.
// A ChatMessage is exactly the payload of a `message` event and an entry of the commit's `messages`, so both are
// written by one function and cannot drift apart.
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>

namespace aw::processor {

// One row of an agent's memory for a chat (agent-runtime.md §2.4, bus-protocol.md §7 `memory`).
struct MemoryRow {
  std::string agent_id;
  std::string chat_id;
  std::string role;  // "user" | "assistant" (history may also hold "system" | "tool"; the prompt ignores those)
  std::string content;
  std::string sender;
  std::string message_id;
  std::optional<std::string> reply_to_message_id;
  std::string created_at;  // ISO-8601 with milliseconds
};

// A conversation message published by the run: an agent reply or a turn-limit notice.
struct ChatMessage {
  std::string content;
  std::string sender;
  std::string timestamp;  // ISO-8601 publish time
  std::string message_id;
  std::string chat_id;
  std::optional<std::string> reply_to_message_id;
};

// {agentId, chatId, role, content, sender, messageId, replyToMessageId?, createdAt}
std::string memory_row_json(const MemoryRow& row);

// {content, sender, timestamp, messageId, chatId, replyToMessageId?} (ws-protocol.md §5.2 `message`).
std::string chat_message_json(const ChatMessage& message);

}  // namespace aw::processor
