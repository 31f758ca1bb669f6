// Dispatcher: the gateway's side of credit, dispatch, accept/grant, leases and retries (bus-protocol.md §3-§5, §8;
// ws-protocol.md §7.2), over the durable queue in SQLite and in-memory dispatch and lease state.
//
// Rules it enforces:
// - pushes a `work` only while the connected processors' free slots exceed the outstanding pushes (dispatched, not
//   yet accepted, rejected or timed out), and only while AW_MAX_RUNNING (if > 0) exceeds dispatched + processing;
// - per world at most one item dispatched or processing; the next item is the due pending one with the highest
//   priority, then the oldest (created_at, then rowid), among the other worlds;
// - every push has a fresh dispatchId; an item not accepted within AW_DISPATCH_TIMEOUT_MS, or rejected, is pending
//   again and gets a new dispatchId at its next push; its attempt is not counted;
// - grants only the first accept of the item's current dispatchId while its world and run chat exist (a deleted
//   run chat voids the dispatch); every other accept gets `deny`;
// - a granted attempt holds a lease renewed by its owner's hb; on expiry it fails with processor_lost: retried
//   after retry_delay_ms() while the budget lasts, else dead-lettered (`failed`). Its events are superseded.
//
// Wiring: the loop calls on_* with decoded messages, tick() from a timer (a few times per heartbeat), and pump()
// after anything that may free a world or a slot. Everything it sends goes through BusOutput.
// Thread-safety: loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/bus/bus_messages.h"
#include "common/log.h"
#include "gateway/bus/bus_output.h"
#include "gateway/bus/bus_settings.h"
#include "gateway/bus/clock.h"
#include "gateway/bus/lease_table.h"
#include "gateway/bus/processor_registry.h"
#include "gateway/storage/storage.h"

namespace aw::gateway::bus {

// A pushed, not yet granted item (in the database it is still `pending`).
struct Dispatch {
  std::string world_id;
  std::string run_id;
  std::string dispatch_id;
  std::int64_t attempt = 0;
  std::string chat_id;
  std::int64_t activity_id = 0;
  EpochMs pushed_at_ms = 0;
};

class Dispatcher {
 public:
  Dispatcher(storage::Storage& storage, const BusSettings& settings, Clock& clock, RandomSource& random,
             ProcessorRegistry& processors, LeaseTable& leases, BusOutput& output, BusCounters& counters,
             Logger logger);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Gateway start: every processing item gets a fresh lease for its recorded lease_owner (an item that already has
  // the lease of its attempt keeps it).
  Status recover();

  // hello / hb: registry update, welcome if due, lease renewal; then pump().
  void on_hello(const aw::bus::Hello& hello);
  void on_heartbeat(const aw::bus::Heartbeat& hb);
  void on_accept(const aw::bus::Accept& accept);
  void on_reject(const aw::bus::Reject& reject);

  // Dispatch timeouts, lease expiry and the run deadline backstop, then pump().
  void tick();
  // Pushes as many items as credit and the rules allow; nothing while pushes are held.
  void pump();
  // While a bus batch's transaction is open (BusHub): work built from uncommitted rows must not leave before the
  // COMMIT, and a rolled-back batch must not leave a dispatch behind. release_pushes() pumps.
  void hold_pushes() { pushes_held_ = true; }
  void release_pushes() {
    pushes_held_ = false;
    pump();
  }

  // Ends a granted attempt without a commit (processor_lost, internal): retry or dead letter, superseded events,
  // status broadcast, lease released. No-op when (world, run, attempt) is not the current lease.
  void fail_attempt(const std::string& world_id, const std::string& run_id, std::int64_t attempt,
                    const std::string& code, const std::string& error);

  // Voids the dispatch of a world (cancel-message of a dispatched item, chat or world deleted): a later accept is
  // denied.
  void void_dispatch(const std::string& world_id);
  // After delete-chat: the world's pending items granted before in the deleted chat (waiting for a retry) end
  // `cancelled` with a `failed` status (cancelled:true), as a running one does; a run never moves to another chat.
  // pump() does the same for any such item it meets (e.g. a dead letter requeued after its chat went).
  Status cancel_orphaned_runs(const std::string& world_id);

  std::size_t dispatched_count() const { return dispatched_.size(); }
  // Other pushes that hold processor slots (title jobs sent, not yet answered): counted by the credit rule.
  void set_other_outstanding(std::function<std::int64_t()> count) { other_outstanding_ = std::move(count); }
  const Dispatch* dispatched(const std::string& world_id) const;

 private:
  bool has_credit() const;
  // Pushes due items, highest priority then oldest, while credit lasts, in the caller's read snapshot; items whose
  // run chat was deleted are collected in `orphaned` for the caller to end after the snapshot.
  void push_due(std::vector<storage::QueueItemRecord>& orphaned);
  void deny(const aw::bus::Accept& accept, const std::string& reason);
  void cancel_orphaned_run(const storage::QueueItemRecord& item);
  void grant(const Dispatch& d, const aw::bus::Accept& accept);

  storage::Storage& storage_;
  const BusSettings& settings_;
  Clock& clock_;
  RandomSource& random_;
  ProcessorRegistry& processors_;
  LeaseTable& leases_;
  BusOutput& output_;
  BusCounters& counters_;
  Logger logger_;
  std::map<std::string, Dispatch> dispatched_;  // by world id
  std::function<std::int64_t()> other_outstanding_;
  bool pushes_held_ = false;
};

}  // namespace aw::gateway::bus
