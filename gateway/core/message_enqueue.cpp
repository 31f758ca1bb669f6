// Durable enqueue (see message_enqueue.h).
#include "gateway/core/message_enqueue.h"

namespace aw::gateway {
namespace {

// Raises synchronous to FULL for one transaction and restores NORMAL on every path; inactive, it changes nothing.
// The pragma is set outside the transaction (SQLite applies it per connection, at commit).
class FullSyncScope {
 public:
  FullSyncScope(storage::Database& db, bool active) : db_(db), active_(active) {
    ok_ = !active_ || static_cast<bool>(db_.exec("PRAGMA synchronous=FULL"));
  }
  ~FullSyncScope() {
    if (active_) (void)db_.exec("PRAGMA synchronous=NORMAL");
  }
  bool ok() const { return ok_; }

 private:
  storage::Database& db_;
  const bool active_;
  bool ok_ = false;
};

EnqueueResult failure(Status status) {
  EnqueueResult r;
  r.status = std::move(status);
  return r;
}

}  // namespace

EnqueueResult enqueue_message(storage::Storage& storage, const CoreOptions& options, const EnqueueRequest& request,
                              EpochMs now, const Logger& logger, bool full_sync, bool* committed) {
  auto internal = [&](const Status& cause) {
    logger.error("enqueue failed", {{"world", request.world_id}, {"error", cause.message()}});
    return failure(Status::internal("Failed to queue message"));
  };
  const std::string sender = request.sender.empty() ? std::string("human") : request.sender;

  FullSyncScope full_sync_scope(storage.db(), full_sync);
  if (!full_sync_scope.ok()) return internal(Status::internal("cannot set synchronous=FULL"));
  auto tx = storage::Transaction::begin(storage.db());
  if (!tx) return internal(tx.status());

  auto world = storage.worlds().find(request.world_id);
  if (!world) return internal(world.status());
  if (!world.value()) {
    return failure(Status::error("world_not_found", "World '" + request.world_id + "' not found"));
  }

  EnqueueResult result;
  if (request.chat_id) {
    auto chat = storage.chats().find(request.world_id, *request.chat_id);
    if (!chat) return internal(chat.status());
    result.chat_found = chat.value().has_value();
  }

  auto existing = storage.queue().find(request.world_id, request.message_id);
  if (!existing) return internal(existing.status());
  if (existing.value()) {
    const auto& item = *existing.value();
    if (item.content == request.content && item.sender == sender && item.chat_id == request.chat_id) {
      result.duplicate = true;
      result.state = item.state;
      return result;
    }
    return failure(Status::error("message_id_conflict",
                                 "Message '" + request.message_id + "' was already used for a different message"));
  }

  auto pending = storage.queue().count_in_state(request.world_id, "pending");
  if (!pending) return internal(pending.status());
  if (pending.value() >= options.queue_max_pending_per_world) {
    return failure(Status::error("limit_exceeded", "Queue for world '" + request.world_id + "' is full"));
  }

  storage::QueueItemRecord item;
  item.world_id = request.world_id;
  item.message_id = request.message_id;
  item.chat_id = request.chat_id;
  item.content = request.content;
  item.sender = sender;
  item.priority = request.priority;
  item.state = "pending";
  item.attempt = 0;
  // Attempts 1 .. 1 + AW_QUEUE_MAX_RETRIES (ws-protocol.md §7.2).
  item.max_attempt = 1 + options.queue_max_retries;
  item.created_at = iso8601_ms(now);
  if (Status s = storage.queue().insert(item); !s) return internal(s);
  if (Status s = tx->commit(); !s) return internal(s);
  if (committed != nullptr) *committed = true;
  return result;
}

}  // namespace aw::gateway
