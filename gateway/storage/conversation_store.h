// ConversationStore: the `messages` table, a chat's stored conversation (agent-runtime.md §2.5, §14).
// Written by the gateway only (the trigger at a first grant, replies from applied commits); read by
// get-chat-messages, counts, the new-chat emptiness test and export. Order: seq, then insertion.
// Thread-safety: loop thread only (borrows the caller's Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "gateway/storage/database.h"

namespace aw::gateway::storage {

struct ConversationMessage {
  std::int64_t row_id = 0;  // insertion order (set by the store)
  std::string world_id;
  std::string message_id;
  std::string chat_id;
  std::int64_t seq = 0;
  std::string sender;
  std::string content;
  std::optional<std::string> reply_to_message_id;
  std::optional<std::string> run_id;
  std::string payload;  // the message event payload, JSON object text
  std::string created_at;
};

// One page of get-chat-messages (ws-protocol.md §8.3), ascending.
struct ConversationPage {
  std::vector<ConversationMessage> messages;
  bool has_more = false;
};

class ConversationStore {
 public:
  explicit ConversationStore(Database& db) : db_(db) {}

  // INSERT OR IGNORE on (world_id, message_id): true when a row was added.
  Result<bool> insert(const ConversationMessage& message);
  // The chat's whole conversation, in order.
  Result<std::vector<ConversationMessage>> list(std::string_view world_id, std::string_view chat_id);
  // The newest `limit` messages with seq < before_seq (all when nullopt), ascending. Messages sharing the lowest
  // returned seq are all included, so a page may hold more than `limit`.
  Result<ConversationPage> page(std::string_view world_id, std::string_view chat_id,
                                std::optional<std::int64_t> before_seq, std::int64_t limit);
  Result<std::int64_t> count_in_chat(std::string_view world_id, std::string_view chat_id);

 private:
  Database& db_;
};

}  // namespace aw::gateway::storage
