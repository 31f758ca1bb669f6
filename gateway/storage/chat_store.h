// ChatStore: rows of the `chats` table (agent-runtime.md §2.3, §10.1, §14).
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

// The name every chat starts with, and the one new-chat may reuse [compat].
inline constexpr const char* kNewChatName = "New Chat";

struct ChatRecord {
  std::string id;
  std::string world_id;
  std::string name;
  std::optional<std::string> description;
  std::string created_at;  // ISO-8601
  std::string updated_at;
  std::int64_t message_count = 0;  // derived: conversation messages (filled by find/list)
};

class ChatStore {
 public:
  explicit ChatStore(Database& db) : db_(db) {}

  // The chat `id` if it belongs to `world_id`.
  Result<std::optional<ChatRecord>> find(std::string_view world_id, std::string_view id);
  // As find(), without counting the conversation (message_count stays 0): one primary-key lookup whatever the
  // chat's length, for the bus's hot paths that need only the chat's existence or name.
  Result<std::optional<ChatRecord>> find_uncounted(std::string_view world_id, std::string_view id);
  // The world's chats, most recently updated first.
  Result<std::vector<ChatRecord>> list(std::string_view world_id);
  // The most recently updated chat of the world (ties: the newest), if any.
  Result<std::optional<ChatRecord>> most_recently_updated(std::string_view world_id);
  // The most recently updated *empty* chat named exactly "New Chat" (agent-runtime.md §10.1: no conversation
  // message and no pending or processing queue item naming it), if any.
  Result<std::optional<ChatRecord>> find_reusable_new_chat(std::string_view world_id);

  Status insert(const ChatRecord& chat);
  // Writes name, description and updated_at.
  Status update(const ChatRecord& chat);
  // Deletes the chat; its conversation and memory rows go with it (FK cascade). False if absent.
  Result<bool> remove(std::string_view world_id, std::string_view id);

 private:
  Result<std::vector<ChatRecord>> query(const std::string& where_and_order, std::string_view world_id,
                                        std::optional<std::string_view> id);
  Database& db_;
};

}  // namespace aw::gateway::storage
