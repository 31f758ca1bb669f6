// MemoryStore: the `agent_memory` table, rows per (agent, chat) (agent-runtime.md §2.4, §11, §14).
// Appended (INSERT OR IGNORE on (world, agent, chat, messageId)), ordered by row id, never rewritten.
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

struct MemoryRecord {
  std::int64_t row_id = 0;  // set by the store
  std::string world_id;
  std::string agent_id;
  std::string chat_id;
  std::string role;  // system | user | assistant | tool
  std::string content;
  std::optional<std::string> sender;
  std::string message_id;
  std::optional<std::string> reply_to_message_id;
  std::string created_at;
};

class MemoryStore {
 public:
  explicit MemoryStore(Database& db) : db_(db) {}

  // True when a row was added (false: the row already existed).
  Result<bool> insert(const MemoryRecord& row);
  // The agent's most recent `limit` rows over all chats, oldest first.
  Result<std::vector<MemoryRecord>> recent(std::string_view world_id, std::string_view agent_id, std::int64_t limit);
  // memorySize: the agent's rows in all chats.
  Result<std::int64_t> count(std::string_view world_id, std::string_view agent_id);
  // Deletes the agent's rows of one chat, or of all chats; returns how many.
  Result<std::int64_t> clear(std::string_view world_id, std::string_view agent_id,
                             const std::optional<std::string>& chat_id);

 private:
  Database& db_;
};

}  // namespace aw::gateway::storage
