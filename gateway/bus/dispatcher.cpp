// Dispatcher (see dispatcher.h).
#include "gateway/bus/dispatcher.h"

#include "common/bus/bus_codec.h"
#include "common/ids.h"
#include "gateway/bus/lifecycle_frames.h"
#include "gateway/bus/retry_policy.h"
#include "gateway/bus/work_builder.h"
#include "gateway/core/event_frames.h"
#include "gateway/core/status_frames.h"
#include "gateway/storage/run_store.h"

namespace aw::gateway::bus {

Dispatcher::Dispatcher(storage::Storage& storage, const BusSettings& settings, Clock& clock, RandomSource& random,
                       ProcessorRegistry& processors, LeaseTable& leases, BusOutput& output, BusCounters& counters,
                       Logger logger)
    : storage_(storage),
      settings_(settings),
      clock_(clock),
      random_(random),
      processors_(processors),
      leases_(leases),
      output_(output),
      counters_(counters),
      logger_(std::move(logger)) {}

Status Dispatcher::recover() {
  auto items = storage::RunStore(storage_).processing();
  if (!items) return items.status();
  const EpochMs now = clock_.now_ms();
  for (const storage::QueueItemRecord& item : items.value()) {
    // Kept as it is (after a rolled-back batch, BusHub::rebuild_leases): its event progress is still right.
    if (leases_.find_attempt(item.world_id, item.message_id, item.attempt) != nullptr) continue;
    Lease lease;
    lease.world_id = item.world_id;
    lease.run_id = item.message_id;
    lease.attempt = item.attempt;
    lease.owner = item.lease_owner.value_or("");
    auto world = storage_.worlds().find(item.world_id);
    if (!world) return world.status();
    if (world.value()) {
      auto chat = storage::RunStore(storage_).run_chat(*world.value(), item);
      if (!chat) return chat.status();
      lease.chat_id = chat.value().value_or("");
    }
    // The grant time is not stored: counting the deadline backstop from now only delays it, never cuts a run short.
    lease.granted_at_ms = now;
    lease.expires_at_ms = now + settings_.lease_ms();
    lease.index_known = false;
    leases_.grant(std::move(lease));
  }
  logger_.info("bus leases recovered", {{"processing", static_cast<std::int64_t>(items->size())}});
  return Status::ok();
}

void Dispatcher::on_hello(const aw::bus::Hello& hello) {
  auto welcome = processors_.on_hello(hello);
  if (welcome) {
    output_.publish_ctl(aw::bus::encode(*welcome));
  } else if (processors_.last_was_first_incompatible()) {
    logger_.warn("processor speaks another bus version",
                 {{"processorId", hello.processor_id}, {"vMin", hello.v_min}, {"vMax", hello.v_max}});
  }
  pump();
}

void Dispatcher::on_heartbeat(const aw::bus::Heartbeat& hb) {
  auto welcome = processors_.on_heartbeat(hb);
  if (welcome) output_.publish_ctl(aw::bus::encode(*welcome));
  if (processors_.is_connected(hb.processor_id)) {
    leases_.renew(hb.processor_id, hb.runs, clock_.now_ms(), settings_.lease_ms());
  }
  pump();
}

const Dispatch* Dispatcher::dispatched(const std::string& world_id) const {
  auto it = dispatched_.find(world_id);
  return it == dispatched_.end() ? nullptr : &it->second;
}

bool Dispatcher::has_credit() const {
  const auto outstanding = static_cast<std::int64_t>(dispatched_.size());
  const std::int64_t others = other_outstanding_ ? other_outstanding_() : 0;
  if (processors_.free_slots() <= outstanding + others) return false;
  if (settings_.max_running > 0 && outstanding + static_cast<std::int64_t>(leases_.size()) >= settings_.max_running) {
    return false;
  }
  return true;
}

void Dispatcher::pump() {
  if (pushes_held_ || !has_credit()) return;
  std::vector<storage::QueueItemRecord> orphaned;
  {
    // One read snapshot for the due list and every work body built from it: one cycle of SQLite's read locks per
    // pump, not one per statement. Nothing when the caller has a transaction open.
    auto snapshot = storage::ReadTransaction::begin(storage_.db());
    if (!snapshot) {
      logger_.error("bus dispatch: reading the queue failed", {{"error", snapshot.status().message()}});
      return;
    }
    push_due(orphaned);
  }
  // Writes, after the read snapshot ended: a write inside it would have to upgrade its lock.
  for (const storage::QueueItemRecord& item : orphaned) cancel_orphaned_run(item);
}

void Dispatcher::push_due(std::vector<storage::QueueItemRecord>& orphaned) {
  const EpochMs now = clock_.now_ms();
  auto due = storage::RunStore(storage_).due_pending_keys(now);
  if (!due) {
    logger_.error("bus dispatch: reading the queue failed", {{"error", due.status().message()}});
    return;
  }
  for (const storage::QueueKey& key : due.value()) {
    if (!has_credit()) return;
    if (dispatched_.count(key.world_id) > 0 || leases_.has_world(key.world_id)) continue;
    auto found = storage_.queue().find(key.world_id, key.message_id);
    if (!found || !found.value()) continue;  // a storage failure: the item waits, as below
    const storage::QueueItemRecord& item = *found.value();
    std::string dispatch_id = new_message_id();
    auto work = build_work(storage_, settings_, item, dispatch_id);
    if (!work && work.status().code() == kRunChatDeleted) {
      orphaned.push_back(item);
      continue;
    }
    if (!work) {
      // Only a storage failure or a world without chats gets here; the item waits rather than failing.
      logger_.warn("bus dispatch: cannot build work",
                   {{"worldId", item.world_id}, {"messageId", item.message_id}, {"error", work.status().message()}});
      continue;
    }
    Dispatch d{item.world_id, item.message_id, dispatch_id, work->attempt, work->chat_id, work->activity_id, now};
    if (!output_.push_work(aw::bus::encode(work.value()))) return;  // EAGAIN: stays pending
    dispatched_.emplace(item.world_id, std::move(d));
  }
}

void Dispatcher::cancel_orphaned_run(const storage::QueueItemRecord& item) {
  const EpochMs now = clock_.now_ms();
  Status s = storage::RunStore(storage_).cancel_pending(item.world_id, item.message_id, now);
  if (!s) {
    logger_.error("bus: cancelling a run whose chat was deleted failed",
                  {{"worldId", item.world_id}, {"messageId", item.message_id}, {"error", s.message()}});
    return;
  }
  logger_.info("bus run cancelled: its chat was deleted", {{"worldId", item.world_id}, {"runId", item.message_id}});
  output_.broadcast_status(failed_status(
      FailedStatus{item.world_id, item.message_id, std::nullopt, "Cancelled", "cancelled", item.attempt, true, false},
      now));
}

Status Dispatcher::cancel_orphaned_runs(const std::string& world_id) {
  auto active = storage_.queue().active(world_id);
  if (!active) return active.status();
  for (const storage::QueueItemRecord& item : active.value()) {
    if (item.state != "pending") continue;
    if (const Dispatch* d = dispatched(world_id); d != nullptr && d->run_id == item.message_id) continue;
    auto deleted = storage::RunStore(storage_).run_chat_deleted(item);
    if (!deleted) return deleted.status();
    if (deleted.value()) cancel_orphaned_run(item);
  }
  return Status::ok();
}

void Dispatcher::deny(const aw::bus::Accept& a, const std::string& reason) {
  output_.publish_ctl(
      aw::bus::encode(aw::bus::Deny{{a.processor_id, a.world_id, a.run_id, a.attempt, a.dispatch_id}, reason}));
}

void Dispatcher::on_accept(const aw::bus::Accept& a) {
  auto it = dispatched_.find(a.world_id);
  if (it == dispatched_.end() || it->second.dispatch_id != a.dispatch_id || it->second.run_id != a.run_id ||
      it->second.attempt != a.attempt) {
    deny(a, "dispatch " + a.dispatch_id + " is not current");
    return;
  }
  Dispatch d = it->second;
  // The first accept wins; the item leaves the dispatched set whatever the grant's outcome.
  dispatched_.erase(it);
  auto world = storage_.worlds().find(d.world_id);
  auto chat = storage_.chats().find_uncounted(d.world_id, d.chat_id);
  if (!world || !chat || !world.value() || !chat.value()) {
    // A world or run chat deleted meanwhile voids the dispatch; a deleted world's items are gone with it.
    deny(a, "world or run chat no longer exists");
    pump();
    return;
  }
  grant(d, a);
  pump();
}

void Dispatcher::grant(const Dispatch& d, const aw::bus::Accept& a) {
  const EpochMs now = clock_.now_ms();
  storage::GrantWrite g{d.world_id, d.run_id, d.attempt, d.chat_id, a.processor_id, d.activity_id, now};
  auto trigger = storage::RunStore(storage_).grant(g);
  if (!trigger) {
    logger_.error("bus grant failed",
                  {{"worldId", d.world_id}, {"runId", d.run_id}, {"error", trigger.status().message()}});
    deny(a, "grant failed: " + trigger.status().message());
    return;
  }
  Lease lease;
  lease.world_id = d.world_id;
  lease.run_id = d.run_id;
  lease.attempt = d.attempt;
  lease.owner = a.processor_id;
  lease.chat_id = d.chat_id;
  lease.granted_at_ms = now;
  lease.expires_at_ms = now + settings_.lease_ms();
  leases_.grant(std::move(lease));
  // Order of §5.3: processing, then the trigger event, then grant.
  output_.broadcast_status(attempt_status("processing", d.world_id, d.run_id, d.chat_id, d.attempt, now));
  if (trigger.value()) {
    ++counters_.persisted_events[trigger.value()->event_type];
    output_.broadcast_event(to_persisted_frame(*trigger.value(), false));
  }
  output_.publish_ctl(aw::bus::encode(aw::bus::Grant{a.processor_id, d.world_id, d.run_id, d.attempt, d.dispatch_id}));
}

void Dispatcher::on_reject(const aw::bus::Reject& r) {
  auto it = dispatched_.find(r.run.world_id);
  if (it != dispatched_.end() && it->second.dispatch_id == r.run.dispatch_id) {
    logger_.info("bus dispatch rejected", {{"worldId", r.run.world_id},
                                           {"processorId", r.run.processor_id},
                                           {"reason", std::string(aw::bus::reject_reason_name(r.reason))}});
    dispatched_.erase(it);  // pending again at once; the next push gets a new dispatchId
  }
  pump();
}

void Dispatcher::void_dispatch(const std::string& world_id) { dispatched_.erase(world_id); }

void Dispatcher::tick() {
  const EpochMs now = clock_.now_ms();
  for (auto it = dispatched_.begin(); it != dispatched_.end();) {
    if (now - it->second.pushed_at_ms >= settings_.dispatch_timeout_ms) {
      logger_.info("bus dispatch timed out", {{"worldId", it->first}, {"dispatchId", it->second.dispatch_id}});
      it = dispatched_.erase(it);
    } else {
      ++it;
    }
  }
  for (const Lease& lease : leases_.expired(now)) {
    fail_attempt(lease.world_id, lease.run_id, lease.attempt, "processor_lost",
                 "Processing timeout - message was stuck");
  }
  // Backstop of §8: without a commit by grant + deadlineMs + 2 x leaseMs the attempt fails with run_timeout. (A
  // lease renewed by a processor that never commits would otherwise hold the world for ever.)
  std::vector<Lease> overdue;
  for (const auto& [key, lease] : leases_.all()) {
    if (now >= lease.granted_at_ms + settings_.run_timeout_ms + 2 * settings_.lease_ms()) overdue.push_back(lease);
  }
  for (const Lease& lease : overdue) {
    storage::AttemptEnd end{lease.world_id,
                            lease.run_id,
                            lease.attempt,
                            "failed",
                            "Run timed out after " + std::to_string(settings_.run_timeout_ms / 1000) + " s",
                            "run_timeout",
                            std::nullopt,
                            now};
    Status s = storage::RunStore(storage_).end_attempt(end);
    if (!s) logger_.error("bus: ending an overdue attempt failed", {{"error", s.message()}});
    leases_.release(lease.world_id, lease.run_id);
    output_.broadcast_status(failed_status(FailedStatus{lease.world_id, lease.run_id, lease.chat_id, end.error,
                                                        end.error_code, lease.attempt, false, true},
                                           now));
  }
  processors_.prune();
  pump();
}

void Dispatcher::fail_attempt(const std::string& world_id, const std::string& run_id, std::int64_t attempt,
                              const std::string& code, const std::string& error) {
  Lease* lease = leases_.find_attempt(world_id, run_id, attempt);
  if (lease == nullptr) return;
  const std::string chat_id = lease->chat_id;
  leases_.release(world_id, run_id);
  const EpochMs now = clock_.now_ms();
  auto item = storage_.queue().find(world_id, run_id);
  if (!item || !item.value()) {
    logger_.warn("bus: attempt of a vanished item", {{"worldId", world_id}, {"runId", run_id}});
    return;
  }
  const std::int64_t max_attempt = item.value()->max_attempt;
  const bool retry = attempt < max_attempt;
  storage::AttemptEnd end{world_id, run_id, attempt, retry ? "pending" : "failed", error, code, std::nullopt, now};
  std::int64_t delay = 0;
  if (retry) {
    delay = retry_delay_ms(settings_, failures_in_budget(settings_, attempt, max_attempt), random_);
    end.next_attempt_at = now + delay;
  }
  Status s = storage::RunStore(storage_).end_attempt(end);
  if (!s) {
    logger_.error("bus: ending a failed attempt failed", {{"worldId", world_id}, {"error", s.message()}});
    return;
  }
  logger_.warn("bus attempt failed",
               {{"worldId", world_id}, {"runId", run_id}, {"attempt", attempt}, {"code", code}, {"retry", retry}});
  if (retry) {
    output_.broadcast_status(
        retrying_status(RetryingStatus{world_id, run_id, chat_id, error, code, attempt, delay}, now));
  } else {
    output_.broadcast_status(
        failed_status(FailedStatus{world_id, run_id, chat_id, error, code, attempt, false, true}, now));
  }
}

}  // namespace aw::gateway::bus
