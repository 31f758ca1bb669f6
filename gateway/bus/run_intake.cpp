// RunIntake (see run_intake.h).
#include "gateway/bus/run_intake.h"

#include <memory>

#include "common/bus/bus_codec.h"
#include "gateway/bus/lifecycle_frames.h"
#include "gateway/core/event_frames.h"
#include "gateway/core/json_builder.h"
#include "gateway/core/status_frames.h"
#include "gateway/storage/run_store.h"

namespace aw::gateway::bus {
namespace {

// Applied attempts remembered in memory (a few minutes of traffic on a busy gateway).
constexpr std::size_t kAppliedMemory = 10000;

// A chunk's live frame: the persisted shape without seq (ws-protocol.md §5.2).
PersistedFrame chunk_frame(const aw::bus::Event& e, const std::string& chat_id, EpochMs now) {
  JsonBuilder b;
  b.begin_object().field("type", "event").field("worldId", e.world_id).field("chatId", chat_id);
  b.field("eventType", e.event_type).field("runId", e.run_id).field("attempt", e.attempt);
  b.raw_field("payload", e.payload_json).field("timestamp", now).end_object();
  return PersistedFrame{e.world_id, chat_id, 0, std::make_shared<const std::string>(b.take())};
}

}  // namespace

RunIntake::RunIntake(storage::Storage& storage, const BusSettings& settings, Clock& clock, LeaseTable& leases,
                     Dispatcher& dispatcher, BusOutput& output, BusCounters& counters, Logger logger)
    : storage_(storage),
      settings_(settings),
      clock_(clock),
      leases_(leases),
      dispatcher_(dispatcher),
      output_(output),
      counters_(counters),
      logger_(std::move(logger)) {}

void RunIntake::send_stale_cancel(const std::string& processor_id, const AttemptKey& key) {
  const EpochMs now = clock_.now_ms();
  auto it = stale_cancel_sent_.find(key);
  if (it != stale_cancel_sent_.end() && now - it->second < settings_.heartbeat_ms) return;
  stale_cancel_sent_[key] = now;
  if (stale_cancel_sent_.size() > kAppliedMemory) stale_cancel_sent_.erase(stale_cancel_sent_.begin());
  output_.publish_ctl(aw::bus::encode(aw::bus::Cancel{processor_id, std::get<0>(key), std::get<1>(key),
                                                      std::get<2>(key), aw::bus::CancelReason::Stale}));
}

void RunIntake::on_event(const aw::bus::Event& e) {
  const AttemptKey key{e.world_id, e.run_id, e.attempt};
  Lease* lease = leases_.find_attempt(e.world_id, e.run_id, e.attempt);
  if (lease == nullptr) {
    if (applied_.count(key) > 0) {
      ++counters_.dropped_late;
    } else {
      ++counters_.dropped_stale;
    }
    send_stale_cancel(e.processor_id, key);
    return;
  }
  if (!lease->index_known) {
    // After a gateway restart the persisted progress is unknown: take this event as the baseline.
    lease->index_known = true;
    lease->highest_index = e.index - 1;
  }
  if (e.index <= lease->highest_index) {
    ++counters_.dropped_duplicate;
    return;
  }
  if (e.index > lease->highest_index + 1) {
    ++counters_.gaps;
    logger_.warn("bus event gap", {{"worldId", e.world_id},
                                   {"runId", e.run_id},
                                   {"attempt", e.attempt},
                                   {"missingFrom", lease->highest_index + 1},
                                   {"missingTo", e.index - 1}});
  }
  lease->highest_index = e.index;
  const EpochMs now = clock_.now_ms();
  const std::string chat_id = lease->chat_id.empty() ? e.chat_id : lease->chat_id;
  if (e.event_type == "sse" && e.payload_type == std::string("chunk")) {
    output_.broadcast_event(chunk_frame(e, chat_id, now));
    return;
  }
  storage::NewEvent ne;
  ne.world_id = e.world_id;
  ne.chat_id = chat_id;
  ne.event_type = e.event_type;
  ne.message_id = e.payload_message_id;
  ne.run_id = e.run_id;
  ne.attempt = e.attempt;
  ne.payload = e.payload_json;
  ne.ts_ms = now;
  auto record = storage_.events().append(ne);
  if (!record) {
    logger_.error("bus event not persisted", {{"worldId", e.world_id}, {"error", record.status().message()}});
    return;
  }
  ++counters_.persisted_events[e.event_type];
  output_.broadcast_event(to_persisted_frame(record.value(), false));
}

void RunIntake::ack(const aw::bus::Commit& c, aw::bus::CommitResult result) {
  output_.publish_ctl(aw::bus::encode(aw::bus::CommitAck{c.processor_id, c.world_id, c.run_id, c.attempt, result}));
}

void RunIntake::remember_applied(const AttemptKey& key) {
  if (!applied_.insert(key).second) return;
  applied_order_.push_back(key);
  if (in_batch_) ++batch_applied_;
  if (applied_order_.size() > kAppliedMemory) {
    applied_.erase(applied_order_.front());
    applied_order_.pop_front();
  }
}

void RunIntake::rollback_batch() {
  in_batch_ = false;
  for (; batch_applied_ > 0 && !applied_order_.empty(); --batch_applied_) {
    applied_.erase(applied_order_.back());
    applied_order_.pop_back();
  }
  batch_applied_ = 0;
}

bool RunIntake::was_applied(const aw::bus::Commit& c) {
  if (applied_.count(AttemptKey{c.world_id, c.run_id, c.attempt}) > 0) return true;
  // Beyond the memory (or after a restart): an item that ended by this attempt's commit is terminal with this
  // attempt, and its events were not superseded (an attempt the gateway ended itself has them superseded).
  auto item = storage_.queue().find(c.world_id, c.run_id);
  if (!item || !item.value() || item.value()->attempt != c.attempt) return false;
  const std::string& state = item.value()->state;
  if (state == "completed") return true;
  if (state != "cancelled" && !(state == "failed" && item.value()->error_code == std::string("run_timeout"))) {
    return false;
  }
  auto stmt = storage_.db().prepare(
      "SELECT COUNT(*) FROM events WHERE world_id = ? AND run_id = ? AND attempt = ? AND superseded = 1");
  if (!stmt) return false;
  stmt->bind_all(c.world_id, c.run_id, c.attempt);
  auto superseded = stmt->single_integer();
  return superseded && superseded.value() == 0;
}

void RunIntake::on_commit(const aw::bus::Commit& c) {
  Lease* lease = leases_.find_attempt(c.world_id, c.run_id, c.attempt);
  if (lease == nullptr) {
    if (was_applied(c)) {
      ack(c, aw::bus::CommitResult::Duplicate);
    } else {
      ++counters_.dropped_stale;
      ack(c, aw::bus::CommitResult::Stale);
    }
    return;
  }
  auto world = storage_.worlds().find(c.world_id);
  if (!world || !world.value()) {
    ++counters_.dropped_stale;
    ack(c, aw::bus::CommitResult::Stale);
    return;
  }
  const std::string chat_id = lease->chat_id;
  const bool index_known = lease->index_known;
  const std::int64_t highest = lease->highest_index;
  storage::CommitEnd end;
  switch (c.outcome) {
    case aw::bus::CommitOutcome::Completed:
      end.state = "completed";
      break;
    case aw::bus::CommitOutcome::Cancelled:
      end = storage::CommitEnd{"cancelled", std::string("Cancelled"), std::string("cancelled")};
      break;
    case aw::bus::CommitOutcome::RunTimeout:
      end =
          storage::CommitEnd{"failed", "Run timed out after " + std::to_string(settings_.run_timeout_ms / 1000) + " s",
                             std::string("run_timeout")};
      break;
  }
  const EpochMs now = clock_.now_ms();
  auto applied = storage::RunStore(storage_).apply_commit(c, chat_id, end, now);
  if (!applied) {
    logger_.error("bus commit not applied",
                  {{"worldId", c.world_id}, {"runId", c.run_id}, {"error", applied.status().message()}});
    dispatcher_.fail_attempt(c.world_id, c.run_id, c.attempt, "internal", "Internal error: commit not applied");
    ack(c, aw::bus::CommitResult::Stale);
    return;
  }
  if (index_known && c.last_index > highest) {
    ++counters_.gaps;
    logger_.warn("bus event gap at commit", {{"worldId", c.world_id},
                                             {"runId", c.run_id},
                                             {"attempt", c.attempt},
                                             {"missingFrom", highest + 1},
                                             {"missingTo", c.last_index}});
  }
  leases_.release(c.world_id, c.run_id);
  remember_applied(AttemptKey{c.world_id, c.run_id, c.attempt});
  if (end.state == "completed") {
    output_.broadcast_status(attempt_status("completed", c.world_id, c.run_id, chat_id, c.attempt, now));
  } else {
    output_.broadcast_status(failed_status(FailedStatus{c.world_id, c.run_id, chat_id, *end.error, *end.error_code,
                                                        c.attempt, end.state == "cancelled", false},
                                           now));
  }
  ack(c, aw::bus::CommitResult::Applied);
  if (end.state == "completed" && on_completed_) on_completed_(c, chat_id);
  dispatcher_.pump();
}

}  // namespace aw::gateway::bus
