// RunCanceller: cancel propagation to processors (bus-protocol.md §8). The core's commands change the queue rows;
// this class tells the processor that holds the run:
// - cancel-message of a processing item -> `cancel {cancelled}`; its run chat deleted -> `cancel {chat_deleted}`;
//   both repeated whenever the owner's hb still lists the attempt. Without a commit within 2 x leaseMs of the first
//   cancel, the gateway ends the item itself as `cancelled` (events superseded, failed status with cancelled:true).
// - world deleted -> `cancel {world_deleted}` to every owner of its leases; the leases are released at once (the
//   core deleted the items).
// - a dispatched, not yet granted item cancelled, or whose run chat was deleted, or whose world was deleted: its
//   dispatch is voided, so a later accept is denied.
// Thread-safety: loop thread only.
#pragma once

#include <cstdint>
#include <map>
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

class RunCanceller {
 public:
  RunCanceller(storage::Storage& storage, const BusSettings& settings, Clock& clock, LeaseTable& leases,
               Dispatcher& dispatcher, BusOutput& output, Logger logger);
  RunCanceller(const RunCanceller&) = delete;
  RunCanceller& operator=(const RunCanceller&) = delete;

  // After cancel-message succeeded for (world, message).
  void message_cancelled(const std::string& world_id, const std::string& message_id);
  // After delete-chat removed (world, chat).
  void chat_deleted(const std::string& world_id, const std::string& chat_id);
  // After delete-world removed the world and its items.
  void world_deleted(const std::string& world_id);

  // Repeats a pending cancel for every attempt the processor's hb still lists.
  void on_heartbeat(const aw::bus::Heartbeat& hb);
  // Forgets cancels whose attempt ended; ends those without a commit after 2 x leaseMs.
  void tick();

  std::size_t pending_count() const { return pending_.size(); }

 private:
  using AttemptKey = std::tuple<std::string, std::string, std::int64_t>;  // world, run, attempt
  struct PendingCancel {
    std::string owner;
    aw::bus::CancelReason reason = aw::bus::CancelReason::Cancelled;
    EpochMs first_sent_ms = 0;
  };
  void cancel_lease(const Lease& lease, aw::bus::CancelReason reason);
  void send(const AttemptKey& key, const PendingCancel& pending);
  void end_ourselves(const AttemptKey& key, const Lease& lease);

  storage::Storage& storage_;
  const BusSettings& settings_;
  Clock& clock_;
  LeaseTable& leases_;
  Dispatcher& dispatcher_;
  BusOutput& output_;
  Logger logger_;
  std::map<AttemptKey, PendingCancel> pending_;
};

}  // namespace aw::gateway::bus
