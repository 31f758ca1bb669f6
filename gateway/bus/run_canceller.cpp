// Cancel propagation (see run_canceller.h).
#include "gateway/bus/run_canceller.h"

#include <vector>

#include "common/bus/bus_codec.h"
#include "gateway/core/status_frames.h"
#include "gateway/storage/run_store.h"

namespace aw::gateway::bus {

RunCanceller::RunCanceller(storage::Storage& storage, const BusSettings& settings, Clock& clock, LeaseTable& leases,
                           Dispatcher& dispatcher, BusOutput& output, Logger logger)
    : storage_(storage),
      settings_(settings),
      clock_(clock),
      leases_(leases),
      dispatcher_(dispatcher),
      output_(output),
      logger_(std::move(logger)) {}

void RunCanceller::send(const AttemptKey& key, const PendingCancel& pending) {
  output_.publish_ctl(aw::bus::encode(
      aw::bus::Cancel{pending.owner, std::get<0>(key), std::get<1>(key), std::get<2>(key), pending.reason}));
}

void RunCanceller::cancel_lease(const Lease& lease, aw::bus::CancelReason reason) {
  AttemptKey key{lease.world_id, lease.run_id, lease.attempt};
  auto [it, inserted] = pending_.emplace(key, PendingCancel{lease.owner, reason, clock_.now_ms()});
  if (!inserted) it->second.reason = reason;  // a chat deletion after a cancel-message: the later reason wins
  logger_.info("bus cancel", {{"worldId", lease.world_id},
                              {"runId", lease.run_id},
                              {"attempt", lease.attempt},
                              {"processorId", lease.owner},
                              {"reason", std::string(aw::bus::cancel_reason_name(reason))}});
  send(key, it->second);
}

void RunCanceller::message_cancelled(const std::string& world_id, const std::string& message_id) {
  if (const Lease* lease = leases_.find(world_id, message_id)) {
    cancel_lease(*lease, aw::bus::CancelReason::Cancelled);
    return;
  }
  const Dispatch* d = dispatcher_.dispatched(world_id);
  if (d != nullptr && d->run_id == message_id) dispatcher_.void_dispatch(world_id);
}

void RunCanceller::chat_deleted(const std::string& world_id, const std::string& chat_id) {
  std::vector<Lease> hit;
  for (const auto& [key, lease] : leases_.all()) {
    if (lease.world_id == world_id && lease.chat_id == chat_id) hit.push_back(lease);
  }
  for (const Lease& lease : hit) cancel_lease(lease, aw::bus::CancelReason::ChatDeleted);
  const Dispatch* d = dispatcher_.dispatched(world_id);
  // The item stays pending and is dispatched again with a newly resolved run chat (§5.2).
  if (d != nullptr && d->chat_id == chat_id) dispatcher_.void_dispatch(world_id);
}

void RunCanceller::world_deleted(const std::string& world_id) {
  std::vector<Lease> hit;
  for (const auto& [key, lease] : leases_.all()) {
    if (lease.world_id == world_id) hit.push_back(lease);
  }
  for (const Lease& lease : hit) {
    // Sent once: the processor stops at once and sends nothing more; the item no longer exists to be ended.
    send(AttemptKey{lease.world_id, lease.run_id, lease.attempt},
         PendingCancel{lease.owner, aw::bus::CancelReason::WorldDeleted, clock_.now_ms()});
    pending_.erase(AttemptKey{lease.world_id, lease.run_id, lease.attempt});
    leases_.release(lease.world_id, lease.run_id);
  }
  dispatcher_.void_dispatch(world_id);
}

void RunCanceller::on_heartbeat(const aw::bus::Heartbeat& hb) {
  for (const aw::bus::RunRef& run : hb.runs) {
    auto it = pending_.find(AttemptKey{run.world_id, run.run_id, run.attempt});
    if (it != pending_.end() && it->second.owner == hb.processor_id) send(it->first, it->second);
  }
}

void RunCanceller::end_ourselves(const AttemptKey& key, const Lease& lease) {
  const EpochMs now = clock_.now_ms();
  storage::AttemptEnd end{lease.world_id, lease.run_id, lease.attempt, "cancelled",
                          "Cancelled",    "cancelled",  std::nullopt,  now};
  Status s = storage::RunStore(storage_).end_attempt(end);
  leases_.release(lease.world_id, lease.run_id);
  if (!s) {
    logger_.error("bus: ending a cancelled attempt failed", {{"worldId", lease.world_id}, {"error", s.message()}});
    return;
  }
  logger_.warn("bus cancel not committed in time: ended by the gateway",
               {{"worldId", std::get<0>(key)}, {"runId", std::get<1>(key)}, {"attempt", std::get<2>(key)}});
  output_.broadcast_status(failed_status(
      FailedStatus{lease.world_id, lease.run_id, lease.chat_id, "Cancelled", "cancelled", lease.attempt, true, true},
      now));
}

void RunCanceller::tick() {
  const EpochMs now = clock_.now_ms();
  bool ended = false;
  for (auto it = pending_.begin(); it != pending_.end();) {
    const auto& [world_id, run_id, attempt] = it->first;
    Lease* lease = leases_.find_attempt(world_id, run_id, attempt);
    if (lease == nullptr) {
      it = pending_.erase(it);  // committed, expired or ended otherwise
      continue;
    }
    // A cancelled run whose processor vanished ends cancelled, not retried (the lease would expire on the next
    // Dispatcher::tick() and retry it).
    if (now - it->second.first_sent_ms >= 2 * settings_.lease_ms() || lease->expires_at_ms <= now) {
      end_ourselves(it->first, Lease(*lease));
      it = pending_.erase(it);
      ended = true;
      continue;
    }
    ++it;
  }
  if (ended) dispatcher_.pump();
}

}  // namespace aw::gateway::bus
