// RunStore: the queue and commit operations of the bus (bus-protocol.md §4, §5, §7): choosing due pending items,
// the grant transaction, ending an attempt (retry, dead letter, superseded), and applying a commit.
// It adds to QueueStore and the other stores without changing them; every write that must be atomic is one
// transaction here (BEGIN IMMEDIATE, or a savepoint inside the caller's).
// Thread-safety: loop thread only (borrows the caller's Storage).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bus/bus_messages.h"
#include "common/status.h"
#include "common/time_util.h"
#include "gateway/storage/storage.h"

namespace aw::gateway::storage {

// A queue item's key.
struct QueueKey {
  std::string world_id;
  std::string message_id;
};

// What the grant transaction writes (§5.3).
struct GrantWrite {
  std::string world_id;
  std::string message_id;  // the run id
  std::int64_t attempt = 0;
  std::string chat_id;  // the run chat, resolved at dispatch
  std::string lease_owner;
  std::int64_t activity_id = 0;
  EpochMs now = 0;
};

// How an attempt ends without an applied commit.
struct AttemptEnd {
  std::string world_id;
  std::string message_id;
  std::int64_t attempt = 0;
  std::string state;  // pending (retry), failed or cancelled
  std::string error;
  std::string error_code;
  std::optional<EpochMs> next_attempt_at;  // for pending
  EpochMs now = 0;
};

// A commit's terminal state (§7 step 5).
struct CommitEnd {
  std::string state;  // completed | cancelled | failed
  std::optional<std::string> error;
  std::optional<std::string> error_code;
};

// What applying a commit changed, for logs and tests.
struct CommitApplied {
  std::int64_t messages_inserted = 0;
  std::int64_t memory_inserted = 0;
  std::int64_t counters_written = 0;
  std::int64_t counters_skipped = 0;  // rev changed meanwhile
};

class RunStore {
 public:
  explicit RunStore(Storage& storage) : s_(storage) {}

  // The keys of the pending items due at `now` (next_attempt_at unset or <= now), highest priority first, then
  // oldest (created_at, then rowid). Keys only: the dispatcher skips most of them (worlds with an item dispatched or
  // running) and reads the one it pushes with QueueStore::find.
  Result<std::vector<QueueKey>> due_pending_keys(EpochMs now);
  // Every processing item (gateway start: their leases are renewed).
  Result<std::vector<QueueItemRecord>> processing();

  // The run chat of `item` (ws-protocol.md §7.1), fixed at its first grant as the trigger message's chat; before
  // that, the chat the item was sent with while it exists, else `world`'s current chat; nullopt when there is none.
  // Once granted, a run never moves: when its chat was deleted (the trigger's conversation row went with it) the
  // answer is nullopt, not another chat (see run_chat_deleted()).
  // The item itself keeps the chat it was sent with, which a repeated send is compared against (§7.3).
  Result<std::optional<std::string>> run_chat(const WorldRecord& world, const QueueItemRecord& item);
  // True when `item` was granted once (its trigger published) and its run chat has been deleted since: such an item
  // ends `cancelled` (ws-protocol.md §7.2: deletion of the run's chat) instead of running in another chat.
  Result<bool> run_chat_deleted(const QueueItemRecord& item);

  // Ends a pending item as `cancelled` (error "Cancelled", code "cancelled"). Fails ("not_found") when the item is
  // not pending.
  Status cancel_pending(const std::string& world_id, const std::string& message_id, EpochMs now);

  // The grant, in one transaction: the item becomes processing with `attempt` and `lease_owner` (its chat, the one
  // it was sent with, is kept), worlds.last_activity_id = activity_id; at the first grant the trigger's message event
  // and conversation row are written and trigger_published set. Returns the trigger's event row when it was written
  // now. Fails ("not_found") when the item is no longer pending.
  Result<std::optional<EventRecord>> grant(const GrantWrite& grant);

  // Ends an attempt without a commit, in one transaction: its events are marked superseded and the item takes the
  // state of `end` (pending again with next_attempt_at, failed, or cancelled). Requires the item is processing.
  Status end_attempt(const AttemptEnd& end);

  // Applies a commit (§7 steps 1-5) in one transaction. `run_chat_id` is the run chat; `end` the terminal state.
  Result<CommitApplied> apply_commit(const aw::bus::Commit& commit, std::string_view run_chat_id, const CommitEnd& end,
                                     EpochMs now);

 private:
  Result<std::int64_t> message_seq(const std::string& world_id, const std::string& run_id, std::int64_t attempt,
                                   const std::string& message_id);
  Storage& s_;
};

}  // namespace aw::gateway::storage
