// LeaseTable: the granted attempts the gateway holds a lease for (bus-protocol.md §5.4, §6), one per processing
// item, keyed by (worldId, runId). A lease lasts leaseMs from the grant and is renewed by every hb of its owner that
// lists the attempt. It also keeps the attempt's event progress (highest persisted index) for fencing.
// Leases live in memory; at gateway start every processing item gets a fresh one (Dispatcher::recover()).
// A journal (BusHub: one per batch transaction) records the value each lease had before the batch first touched it,
// so that a rolled-back batch can put back exactly the leases it changed and leave the others (and their event
// progress, i.e. gap detection) alone.
// Thread-safety: loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/bus/bus_messages.h"
#include "common/time_util.h"

namespace aw::gateway::bus {

using RunKey = std::pair<std::string, std::string>;  // (worldId, runId)

struct Lease {
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 0;
  std::string owner;  // processorId
  std::string chat_id;
  EpochMs granted_at_ms = 0;
  EpochMs expires_at_ms = 0;
  // Highest event index persisted (or broadcast, for chunks) for this attempt; -1 before the first.
  std::int64_t highest_index = -1;
  // False after a gateway restart: the first event sets the baseline without counting a gap.
  bool index_known = true;
  // Last `cancel {stale}` sent for this lease's world/run to a stale sender (rate limit, §6).
  EpochMs last_stale_cancel_ms = -1;
};

class LeaseTable {
 public:
  // Grants (or replaces) the lease of (world, run).
  Lease& grant(Lease lease);
  Lease* find(const std::string& world_id, const std::string& run_id);
  // The lease of exactly this attempt, if it is the current one.
  Lease* find_attempt(const std::string& world_id, const std::string& run_id, std::int64_t attempt);
  void release(const std::string& world_id, const std::string& run_id);
  // Renews every lease of `owner` that `runs` lists; returns how many were renewed.
  std::int64_t renew(const std::string& owner, const std::vector<aw::bus::RunRef>& runs, EpochMs now,
                     std::int64_t lease_ms);
  // Leases whose expiry is at or before `now` (copies; the caller ends them).
  std::vector<Lease> expired(EpochMs now) const;
  bool has_world(const std::string& world_id) const;
  std::size_t size() const { return leases_.size(); }
  const std::map<RunKey, Lease>& all() const { return leases_; }

  // Starts recording the previous value of every lease changed from now on (grant, release, renew, or a mutable
  // find); not nested.
  void begin_journal();
  // Forgets the recorded values (the batch committed) and stops recording.
  void commit_journal();
  // Puts back every lease changed since begin_journal() (re-creating released ones, dropping granted ones), and
  // stops recording. A lease that still exists with the same attempt and owner keeps its current expiry and stale-
  // cancel time: heartbeats are not transactional, only the event progress is.
  void rollback_journal();

 private:
  void note(const RunKey& key);

  std::map<RunKey, Lease> leases_;
  bool journaling_ = false;
  std::map<RunKey, std::optional<Lease>> journal_;  // value before the first change; nullopt: absent
};

}  // namespace aw::gateway::bus
