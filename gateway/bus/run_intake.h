// RunIntake: events and commits from processors (bus-protocol.md §6, §7), fenced against the lease table.
// - An event or commit counts only for the item's current granted (worldId, runId, attempt). Anything else is
//   dropped and counted (`stale`, or `late` for events after the attempt's commit was applied); its sender gets
//   `cancel {stale}` at most once per attempt per heartbeatMs; a stale commit gets `commit-ack {stale}`.
// - Events are persisted in index order as they arrive: an index not above the highest persisted is dropped
//   (`duplicate`), a jump is a gap (counted once per jump, logged with the missing range, never filled). Chunks are
//   broadcast, never persisted.
// - A commit is applied once, in one transaction (RunStore::apply_commit): a re-send gets `duplicate`. Indexes up to
//   lastIndex never received count as a gap. A failed transaction fails the attempt with `internal`.
// Thread-safety: loop thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "common/bus/bus_messages.h"
#include "common/log.h"
#include "gateway/bus/bus_output.h"
#include "gateway/bus/bus_settings.h"
#include "gateway/bus/clock.h"
#include "gateway/bus/dispatcher.h"
#include "gateway/bus/lease_table.h"
#include "gateway/storage/storage.h"

namespace aw::gateway::bus {

class RunIntake {
 public:
  RunIntake(storage::Storage& storage, const BusSettings& settings, Clock& clock, LeaseTable& leases,
            Dispatcher& dispatcher, BusOutput& output, BusCounters& counters, Logger logger);
  RunIntake(const RunIntake&) = delete;
  RunIntake& operator=(const RunIntake&) = delete;

  void on_event(const aw::bus::Event& event);
  void on_commit(const aw::bus::Commit& commit);
  // Called after a commit with outcome `completed` was applied, with the run chat (title jobs).
  using CompletedHook = std::function<void(const aw::bus::Commit&, const std::string& chat_id)>;
  void set_on_completed(CompletedHook hook) { on_completed_ = std::move(hook); }

  // BusHub's batch transaction: commits marked applied after begin_batch() are forgotten again by rollback_batch()
  // (they were rolled back; the processor's re-send must be applied, not answered `duplicate`).
  void begin_batch() {
    batch_applied_ = 0;
    in_batch_ = true;
  }
  void commit_batch() { in_batch_ = false; }
  void rollback_batch();

 private:
  using AttemptKey = std::tuple<std::string, std::string, std::int64_t>;  // world, run, attempt
  void send_stale_cancel(const std::string& processor_id, const AttemptKey& key);
  void ack(const aw::bus::Commit& commit, aw::bus::CommitResult result);
  bool was_applied(const aw::bus::Commit& commit);
  void remember_applied(const AttemptKey& key);

  storage::Storage& storage_;
  const BusSettings& settings_;
  Clock& clock_;
  LeaseTable& leases_;
  Dispatcher& dispatcher_;
  BusOutput& output_;
  BusCounters& counters_;
  Logger logger_;
  // Attempts whose commit was applied, newest last, bounded: enough to answer re-sends and flag late events; older
  // ones fall back to the database (was_applied()).
  std::set<AttemptKey> applied_;
  std::deque<AttemptKey> applied_order_;
  std::map<AttemptKey, EpochMs> stale_cancel_sent_;  // rate limit of cancel {stale}
  CompletedHook on_completed_;
  bool in_batch_ = false;
  std::size_t batch_applied_ = 0;  // the newest entries of applied_order_ added by the open batch
};

}  // namespace aw::gateway::bus
