// QueueStore: the durable message queue, table `message_queue` (ws-protocol.md §7; agent-runtime.md §14).
// Items are keyed by (world_id, message_id). States: pending, processing, completed, failed, cancelled.
// Leases live in memory (the dispatcher's); this store holds what must survive a restart.
// Thread-safety: loop thread only (borrows the caller's Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "gateway/storage/database.h"

namespace aw::gateway::storage {

// Every state, in the order /metrics lists them.
inline constexpr const char* kQueueStates[] = {"pending", "processing", "completed", "failed", "cancelled"};

struct QueueItemRecord {
  std::string world_id;
  std::string message_id;
  std::optional<std::string> chat_id;
  std::string content;
  std::string sender;
  std::int64_t priority = 0;
  std::string state = "pending";
  std::int64_t attempt = 0;      // last granted attempt
  std::int64_t max_attempt = 1;  // last attempt the retry budget allows
  std::optional<std::string> error;
  std::optional<std::string> error_code;
  std::optional<std::string> lease_owner;
  std::optional<std::int64_t> next_attempt_at;  // epoch ms
  bool trigger_published = false;
  std::string created_at;  // ISO-8601
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
};

// Per-world counts for queue-status.
// The columns of a queue row in the order read_queue_item() expects, for SELECTs of the storage classes.
extern const char* const kQueueItemColumns;
// Reads one row selected with kQueueItemColumns.
QueueItemRecord read_queue_item(const Statement& row);

struct WorldQueueCounts {
  std::string world_id;
  std::int64_t pending = 0;
  std::int64_t processing = 0;
  std::int64_t failed = 0;
  std::optional<std::string> oldest_pending_at;
};

class QueueStore {
 public:
  explicit QueueStore(Database& db) : db_(db) {}

  Result<std::optional<QueueItemRecord>> find(std::string_view world_id, std::string_view message_id);
  // Fails with code "constraint" when (world_id, message_id) exists.
  Status insert(const QueueItemRecord& item);
  // Writes every column but the key, content, sender, priority and created_at.
  Status update(const QueueItemRecord& item);

  Result<std::int64_t> count_in_state(std::string_view world_id, std::string_view state);
  // Items of the world in one of the active states (pending, processing), oldest first.
  Result<std::vector<QueueItemRecord>> active(std::string_view world_id);
  // The world's failed items (or every world's when world_id is nullopt), newest first, at most `limit`.
  Result<std::vector<QueueItemRecord>> failed(const std::optional<std::string>& world_id, std::int64_t limit);
  // Count per state over all worlds; every state appears, zeros included.
  Result<std::vector<std::pair<std::string, std::int64_t>>> counts_by_state();
  Result<WorldQueueCounts> world_counts(std::string_view world_id);
  // Deletes every item of the world; returns how many.
  Result<std::int64_t> delete_world(std::string_view world_id);

  // The worlds (sorted) that hold an item named `message_id` (any message when nullopt) in `state` (any state when
  // nullopt): the admin ops that run over all worlds (bus-protocol.md §10) go through them world by world.
  Result<std::vector<std::string>> worlds_with(const std::optional<std::string>& message_id,
                                               const std::optional<std::string>& state);
  // The operator purge of the dead letter (bus-protocol.md §10 purge-failed): deletes the `failed` items of
  // `world_id` (every world when nullopt), only the one named `message_id` when set, in one transaction. Items in
  // any other state are never touched. Returns the deleted (worldId, messageId), by world, oldest first.
  Result<std::vector<std::pair<std::string, std::string>>> purge_failed(const std::optional<std::string>& world_id,
                                                                        const std::optional<std::string>& message_id);

 private:
  Result<std::vector<QueueItemRecord>> query(const std::string& sql, const std::optional<std::string>& world_id,
                                             std::optional<std::int64_t> limit);
  Database& db_;
};

}  // namespace aw::gateway::storage
