// Retention pruning of the event log and the message queue (see retention_pruner.h).
#include "gateway/storage/retention_pruner.h"

#include <utility>

#include "common/env.h"

namespace aw::gateway::storage {
namespace {

constexpr std::int64_t kMsPerDay = 24LL * 60 * 60 * 1000;
constexpr std::int64_t kMaxDays = 36500;  // a century: larger values are certainly typos

}  // namespace

Result<RetentionSettings> RetentionSettings::from_env() {
  RetentionSettings s;
  Status read = read_int_settings({{"AW_EVENT_RETENTION_DAYS", &s.event_days, 0, kMaxDays},
                                   {"AW_QUEUE_RETENTION_DAYS", &s.queue_days, 0, kMaxDays},
                                   {"AW_RETENTION_INTERVAL_MS", &s.interval_ms, 100, kMsPerDay},
                                   {"AW_RETENTION_BATCH_ROWS", &s.batch_rows, 1, 1000000}});
  if (!read) return read;
  return s;
}

RetentionPruner::RetentionPruner(Storage& storage, RetentionSettings settings, Logger logger)
    : storage_(storage), settings_(settings), logger_(std::move(logger)) {}

Result<PruneCounts> RetentionPruner::step(EpochMs now) {
  PruneCounts counts;
  if (settings_.event_days > 0) {
    auto events = prune_events(now - settings_.event_days * kMsPerDay, settings_.batch_rows, &counts.more);
    if (!events) return events.status();
    counts.events = events.value();
  }
  if (settings_.queue_days > 0) {
    bool queue_more = false;
    auto rows = prune_queue(now - settings_.queue_days * kMsPerDay, settings_.batch_rows, &queue_more);
    if (!rows) return rows.status();
    counts.queue_rows = rows.value();
    counts.more = counts.more || queue_more;
  }
  add(counts);
  return counts;
}

Result<PruneCounts> RetentionPruner::prune_all(EpochMs now) {
  last_pass_start_ = now;  // on_tick's next pass comes one interval later
  PruneCounts total;
  do {
    auto counts = step(now);
    if (!counts) return counts.status();
    total.events += counts->events;
    total.queue_rows += counts->queue_rows;
    total.more = counts->more;
  } while (total.more);
  return total;
}

void RetentionPruner::on_tick(EpochMs now) {
  if (!settings_.enabled()) return;
  if (!in_pass_) {
    if (last_pass_start_ != 0 && now - last_pass_start_ < settings_.interval_ms) return;
    in_pass_ = true;
    last_pass_start_ = now;
    pass_counts_ = PruneCounts{};
  }
  auto counts = step(now);
  if (!counts) {
    logger_.warn("retention step failed; retrying after the interval", {{"error", counts.status().message()}});
    in_pass_ = false;
    worlds_loaded_ = false;
    pending_worlds_.clear();
    return;
  }
  pass_counts_.events += counts->events;
  pass_counts_.queue_rows += counts->queue_rows;
  if (counts->more) return;
  in_pass_ = false;
  if (pass_counts_.events > 0 || pass_counts_.queue_rows > 0) {
    logger_.info("retention pass", {{"events", pass_counts_.events}, {"queueRows", pass_counts_.queue_rows}});
  }
}

Result<std::int64_t> RetentionPruner::prune_events(EpochMs cutoff, std::int64_t budget, bool* more) {
  if (!worlds_loaded_) {
    // The worlds are listed once per pass; a world created during the pass has nothing old yet.
    auto stmt = storage_.db().prepare("SELECT world_id FROM event_logs ORDER BY world_id");
    if (!stmt) return stmt.status();
    pending_worlds_.clear();
    for (;;) {
      auto row = stmt->step();
      if (!row) return row.status();
      if (!row.value()) break;
      pending_worlds_.push_back(stmt->text(0));
    }
    worlds_loaded_ = true;
  }
  std::int64_t deleted = 0;
  std::int64_t visited = 0;  // worlds looked at: a step over many worlds without old frames stays bounded too
  std::size_t next = 0;
  while (next < pending_worlds_.size() && deleted < budget && visited < budget) {
    ++visited;
    bool world_done = false;
    auto n = prune_world(pending_worlds_[next], cutoff, budget - deleted, &world_done);
    if (!n) return n.status();
    deleted += n.value();
    if (world_done) ++next;
  }
  pending_worlds_.erase(pending_worlds_.begin(), pending_worlds_.begin() + static_cast<std::ptrdiff_t>(next));
  *more = !pending_worlds_.empty();
  if (!*more) worlds_loaded_ = false;  // the next pass lists the worlds again
  return deleted;
}

Result<std::int64_t> RetentionPruner::prune_world(const std::string& world_id, EpochMs cutoff, std::int64_t budget,
                                                  bool* world_done) {
  // The primary key (world_id, seq) serves this scan; it stops at the first young frame.
  auto stmt = storage_.db().prepare("SELECT seq, ts_ms FROM events WHERE world_id = ? ORDER BY seq LIMIT ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, budget);
  Seq through = 0;
  std::int64_t rows = 0;
  std::int64_t old_rows = 0;
  bool reached_young = false;
  for (;;) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!row.value()) break;
    ++rows;
    if (reached_young) continue;
    if (stmt->integer(1) >= cutoff) {
      reached_young = true;
      continue;
    }
    through = static_cast<Seq>(stmt->integer(0));
    ++old_rows;
  }
  *world_done = reached_young || rows < budget;
  if (through == 0) return std::int64_t{0};
  if (Status s = storage_.events().prune_through(world_id, through); !s) return s;
  return old_rows;
}

Result<std::int64_t> RetentionPruner::prune_queue(EpochMs cutoff, std::int64_t budget, bool* more) {
  // Dates are ISO-8601 UTC with milliseconds, so text order is time order.
  auto stmt = storage_.db().prepare(
      "DELETE FROM message_queue WHERE rowid IN (SELECT rowid FROM message_queue WHERE state IN ('completed', "
      "'cancelled') AND COALESCE(finished_at, created_at) < ? LIMIT ?)");
  if (!stmt) return stmt.status();
  stmt->bind_all(iso8601_ms(cutoff), budget);
  if (Status s = stmt->run(); !s) return s;
  const std::int64_t deleted = storage_.db().changes();
  *more = deleted >= budget;
  return deleted;
}

void RetentionPruner::add(const PruneCounts& counts) {
  totals_.events += counts.events;
  totals_.queue_rows += counts.queue_rows;
}

}  // namespace aw::gateway::storage
