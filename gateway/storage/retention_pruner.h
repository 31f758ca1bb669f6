// RetentionPruner: deletes what the retention settings no longer keep (ws-protocol.md §6 "Retention", §7.3).
//
// - Events: with AW_EVENT_RETENTION_DAYS > 0, each world's oldest frames whose timestamp (ts_ms) is older than the
//   cutoff are deleted, as a contiguous prefix in seq order (a frame stays while an older-seq frame is still
//   young), and event_logs.pruned_through records the highest seq deleted, so that a replay from below it answers
//   recovered:false. Conversation tables are not touched.
// - Queue: with AW_QUEUE_RETENTION_DAYS > 0, `completed` and `cancelled` rows whose end (finished_at, else
//   created_at) is older than the cutoff are deleted. This is the deduplication window: a message id whose row is
//   gone is accepted again as new. `failed`, `pending` and `processing` rows are never deleted here.
// - Work is done in steps of at most AW_RETENTION_BATCH_ROWS rows per table (and as many worlds looked at), so
//   that one step never stalls the loop: the gateway runs a whole pass at start-up (prune_all), then, every
//   AW_RETENTION_INTERVAL_MS, one step per loop tick until the pass has nothing left (on_tick).
// Time is always passed in (epoch ms), so tests drive it.
//
// Thread-safety: loop thread only (borrows the caller's Storage).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "common/time_util.h"
#include "gateway/storage/storage.h"

namespace aw::gateway::storage {

struct RetentionSettings {
  // AW_EVENT_RETENTION_DAYS: 0 keeps every event (the default: replay works from any seq).
  std::int64_t event_days = 0;
  // AW_QUEUE_RETENTION_DAYS: 7 days of deduplication (the spec's default); 0 keeps every row.
  std::int64_t queue_days = 7;
  // AW_RETENTION_INTERVAL_MS: time between passes. One minute: rows become prunable by the day, so a pass more
  // often than that finds nothing, and a rarer one leaves no backlog worth mentioning.
  std::int64_t interval_ms = 60000;
  // AW_RETENTION_BATCH_ROWS: rows deleted per table per step. 500 deletes take about a millisecond on this
  // machine, short next to a frame's budget, and a backlog of a million rows still clears in minutes.
  std::int64_t batch_rows = 500;

  // Reads the variables above; a value that is not an integer in range is an error naming the variable.
  static Result<RetentionSettings> from_env();
  bool enabled() const { return event_days > 0 || queue_days > 0; }
};

// Rows deleted by one step or one pass.
struct PruneCounts {
  std::int64_t events = 0;
  std::int64_t queue_rows = 0;
  bool more = false;  // a step hit its batch limit: another step has work left
};

class RetentionPruner {
 public:
  RetentionPruner(Storage& storage, RetentionSettings settings, Logger logger);
  RetentionPruner(const RetentionPruner&) = delete;
  RetentionPruner& operator=(const RetentionPruner&) = delete;

  // One bounded step at time `now`: at most batch_rows events, batch_rows worlds and batch_rows queue rows. Fails on a
  // storage error (nothing of the failing table's step is kept: each deletion is its own transaction).
  Result<PruneCounts> step(EpochMs now);
  // Steps until nothing prunable is left at `now` (start-up); counts as a pass for on_tick. Returns the totals.
  Result<PruneCounts> prune_all(EpochMs now);
  // The periodic driver, called on every loop tick: starts a pass when interval_ms has passed since the last one
  // began, and runs one step per tick while the pass has work. Errors are logged (warn) and end the pass; the next
  // one starts after the interval.
  void on_tick(EpochMs now);

  // Totals since construction (for logs and tests).
  const PruneCounts& totals() const { return totals_; }

 private:
  Result<std::int64_t> prune_events(EpochMs cutoff, std::int64_t budget, bool* more);
  Result<std::int64_t> prune_queue(EpochMs cutoff, std::int64_t budget, bool* more);
  // Deletes the old prefix of one world's log (at most `budget` frames); sets *world_done when it reached a young
  // frame or the end of the log.
  Result<std::int64_t> prune_world(const std::string& world_id, EpochMs cutoff, std::int64_t budget, bool* world_done);
  void add(const PruneCounts& counts);

  Storage& storage_;
  const RetentionSettings settings_;
  const Logger logger_;
  PruneCounts totals_;
  EpochMs last_pass_start_ = 0;  // 0: no pass yet
  bool in_pass_ = false;
  PruneCounts pass_counts_;
  // Worlds of the current event pass still to visit (the first is the one being pruned).
  std::vector<std::string> pending_worlds_;
  bool worlds_loaded_ = false;
};

}  // namespace aw::gateway::storage
