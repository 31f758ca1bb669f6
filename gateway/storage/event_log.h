// EventLog: each world's log of persisted frames (ws-protocol.md §6; tables `event_logs` and `events`).
//
// - One monotonic seq per world covering all its chats, starting at 1, and an epoch made with the world.
// - A seq is taken (`UPDATE event_logs SET last_seq = last_seq + 1 ... RETURNING`) and its frame inserted in one
//   transaction, so concurrent writers on other connections never share or skip a seq.
// - The `event_logs` row outlives its world (tombstone): a world created again with that id gets a new epoch and
//   continues at last_seq + 1.
// - Deleting a chat deletes its events; frames of a superseded attempt stay, marked, and are never replayed.
// - pruned_through = the highest seq deleted by retention; a replay from below it is not recoverable.
// Each stored row keeps what rebuilds the exact live frame (frame type, event type, chat, run, attempt, payload,
// timestamp); see event_frames.h in gateway/core/.
//
// Thread-safety: loop thread only (borrows the caller's Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time_util.h"
#include "gateway/storage/database.h"

namespace aw::gateway::storage {

using Seq = std::uint64_t;

struct EventLogState {
  std::string epoch;
  Seq last_seq = 0;
  Seq pruned_through = 0;
};

// A frame to persist. frame_type is "event" or "crud"; for crud, event_type is "crud" and chat_id is empty.
struct NewEvent {
  std::string world_id;
  std::optional<std::string> chat_id;
  std::string frame_type = "event";
  std::string event_type;  // message | sse | world | system | crud
  std::optional<std::string> message_id;
  std::optional<std::string> run_id;
  std::optional<std::int64_t> attempt;
  std::string payload;  // JSON object text, exactly the live payload
  EpochMs ts_ms = 0;    // the envelope timestamp
};

struct EventRecord {
  std::string world_id;
  Seq seq = 0;
  std::optional<std::string> chat_id;
  std::string frame_type;
  std::string event_type;
  std::optional<std::string> message_id;
  std::optional<std::string> run_id;
  std::optional<std::int64_t> attempt;
  bool superseded = false;
  std::string payload;
  EpochMs ts_ms = 0;
};

// Which frames a subscription sees: all of the world (chat_id nullopt), or one chat's frames plus the chat-less ones.
struct EventFilter {
  std::string world_id;
  std::optional<std::string> chat_id;
};

class EventLog {
 public:
  explicit EventLog(Database& db) : db_(db) {}

  // Creates the world's log with `epoch`, or, for a tombstone, gives it the new epoch and keeps last_seq.
  Status open_log(std::string_view world_id, std::string_view epoch);
  // The log's state; nullopt when the world id never had one.
  Result<std::optional<EventLogState>> state(std::string_view world_id);

  // Takes the next seq and inserts the frame, in one transaction (joining the caller's, if any).
  // Fails when the world has no log or no world row (FK).
  Result<EventRecord> append(const NewEvent& event);

  // Marks every frame of (world, run, attempt) superseded; returns how many.
  Result<std::int64_t> mark_superseded(std::string_view world_id, std::string_view run_id, std::int64_t attempt);
  // Deletes a chat's frames; returns how many.
  Result<std::int64_t> delete_chat_events(std::string_view world_id, std::string_view chat_id);
  // Deletes a world's frames (the log row stays as the tombstone); returns how many.
  Result<std::int64_t> delete_world_events(std::string_view world_id);
  // Retention: deletes frames with seq <= through_seq and records it in pruned_through.
  Status prune_through(std::string_view world_id, Seq through_seq);

  // Non-superseded frames passing the filter with after < seq <= upto, ascending; at most `limit`.
  Result<std::vector<EventRecord>> range(const EventFilter& filter, Seq after, Seq upto, std::int64_t limit);
  // How many frames range() would return without a limit.
  Result<std::int64_t> count_range(const EventFilter& filter, Seq after, Seq upto);
  // The non-superseded `event` frames of one chat, ascending (export).
  Result<std::vector<EventRecord>> chat_events(std::string_view world_id, std::string_view chat_id);

 private:
  Database& db_;
};

}  // namespace aw::gateway::storage
