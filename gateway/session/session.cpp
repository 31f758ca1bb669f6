// Session (see session.h).
#include "gateway/session/session.h"

#include <algorithm>

namespace aw::gateway {

Session::Session(SessionId id, std::shared_ptr<Transport> transport, const SessionLimits& limits, Principal principal,
                 SteadyTime now, WsCounters* counters)
    : id_(id),
      connection_id_("conn-" + std::to_string(id)),
      transport_(std::move(transport)),
      limits_(limits),
      counters_(counters),
      principal_(std::move(principal)),
      rate_limiter_(limits.rate_limit_rps, limits.rate_limit_burst, now),
      opened_at_(now),
      last_inbound_(now),
      last_ping_(now) {}

void Session::ping(SteadyTime now) {
  last_ping_ = now;
  if (!closing_) transport_->send_ping();
}

// --- Subscriptions ---------------------------------------------------------------------------------------------

bool Session::has_world(const std::string& world_id) const {
  auto it = subscriptions_.lower_bound(SubscriptionKey{world_id, std::nullopt});
  return it != subscriptions_.end() && it->first.world_id == world_id;
}

bool Session::wants(const std::string& world_id, const std::optional<std::string>& chat_id) const {
  for (auto it = subscriptions_.lower_bound(SubscriptionKey{world_id, std::nullopt});
       it != subscriptions_.end() && it->first.world_id == world_id; ++it) {
    if (filter_matches(it->second.filter_chat, chat_id)) return true;
  }
  return false;
}

void Session::put_subscription(Subscription subscription) {
  drop_replays_for(&subscription.key, nullptr);
  SubscriptionKey key = subscription.key;
  subscriptions_[std::move(key)] = std::move(subscription);
}

std::size_t Session::remove_subscription(const SubscriptionKey& key) {
  // Erase first: frames held for the removed subscription must not be released by drop_replays_for().
  const std::size_t removed = subscriptions_.erase(key);
  drop_replays_for(&key, nullptr);
  return removed;
}

std::size_t Session::remove_world(const std::string& world_id) {
  std::size_t removed = 0;
  auto it = subscriptions_.lower_bound(SubscriptionKey{world_id, std::nullopt});
  while (it != subscriptions_.end() && it->first.world_id == world_id) {
    it = subscriptions_.erase(it);
    ++removed;
  }
  drop_replays_for(nullptr, &world_id);
  return removed;
}

std::size_t Session::remove_all() {
  const std::size_t removed = subscriptions_.size();
  subscriptions_.clear();
  drop_replays_for(nullptr, nullptr);
  return removed;
}

// --- Output ------------------------------------------------------------------------------------------------------

bool Session::send(const std::shared_ptr<const std::string>& frame) {
  if (closing_) return false;
  if (!gated_.empty()) {
    gate(frame);
    return true;
  }
  if (!transport_->send_text(frame)) return false;
  note_queued();
  return true;
}

bool Session::send(std::string frame) {
  if (closing_) return false;
  if (!gated_.empty()) {
    gate(std::make_shared<const std::string>(std::move(frame)));
    return true;
  }
  if (!transport_->send_owned_text(std::move(frame))) return false;
  note_queued();
  return true;
}

void Session::gate(std::shared_ptr<const std::string> frame) {
  gated_bytes_ += frame->size();
  gated_.push_back(GatedFrame{0, std::move(frame), {}});
  note_queued();
}

void Session::send_when_durable(DurabilityTicket durable_at, std::string ack, std::vector<std::string> failure) {
  if (closing_) return;
  gated_bytes_ += ack.size();
  gated_.push_back(GatedFrame{durable_at, std::make_shared<const std::string>(std::move(ack)), std::move(failure)});
  note_queued();
}

Session::DurableRelease Session::release_durable(DurabilityTicket synced, bool ok) {
  DurableRelease release;
  std::size_t released = 0;
  for (; released < gated_.size() && gated_[released].ticket <= synced; ++released) {
    GatedFrame& gated = gated_[released];
    gated_bytes_ -= gated.frame->size();
    if (closing_) continue;
    if (gated.ticket != 0 && !ok) {
      ++release.failed_acks;
      for (std::string& text : gated.failure) transport_->send_owned_text(std::move(text));
    } else {
      transport_->send_text(gated.frame);
    }
  }
  gated_.erase(gated_.begin(), gated_.begin() + static_cast<std::ptrdiff_t>(released));
  if (released > 0) note_queued();
  release.still_waiting = !gated_.empty();
  return release;
}

bool Session::over_outbound_cap() const {
  return transport_->buffered_bytes() > limits_.max_outbound_bytes ||
         gated_bytes_ > kGatedBytesFactor * limits_.max_outbound_bytes;
}

void Session::note_queued() {
  if (!cap_check_scheduled_ && over_outbound_cap()) {
    cap_check_scheduled_ = true;
    std::weak_ptr<const bool> alive = alive_;
    transport_->defer([this, alive] {
      if (alive.lock()) check_outbound_cap();
    });
  }
}

void Session::check_outbound_cap() {
  cap_check_scheduled_ = false;
  if (!closing_ && over_outbound_cap()) {
    close(kCloseSlowConsumer, "slow consumer");
  }
}

void Session::deliver(const LiveFrame& frame) {
  if (closing_) return;
  if (replays_.empty()) {
    send(frame.json);
    return;
  }
  if (held_bytes_ + frame.json->size() + queued_bytes() > limits_.max_outbound_bytes) {
    // Holding more would exceed the cap: give up the replays rather than the connection (§4.3 rule 5).
    abort_replays();
    send(frame.json);
    return;
  }
  held_bytes_ += frame.json->size();
  held_.push_back(frame);
}

// --- Replay ------------------------------------------------------------------------------------------------------

void Session::start_replay(ReplayJob job) {
  if (closing_) return;
  replays_.push_back(ActiveReplay{std::move(job), 0, std::nullopt});
  pump_replay();
}

void Session::pump_replay() {
  // Replay keeps half the cap free for direct responses and the replay-complete frame.
  const std::size_t pace_bytes = std::max<std::size_t>(limits_.max_outbound_bytes / 2, 1);
  while (!closing_ && !replays_.empty()) {
    ActiveReplay& active = replays_.front();
    if (active.next < active.job.frames.size()) {
      const PersistedFrame& frame = active.job.frames[active.next];
      const std::size_t queued = queued_bytes();
      if (queued > 0 && queued + frame.live_json->size() > pace_bytes) return;  // wait for the socket to drain
      if (!send(frame.live_json)) return;
      active.last_replayed = frame.seq;
      ++active.next;
      if (counters_ != nullptr) ++counters_->replay_events;
      continue;
    }
    finish_front_replay(false);
  }
  if (replays_.empty() && !held_.empty()) release_held();
}

void Session::finish_front_replay(bool recovered_override_false) {
  ActiveReplay active = std::move(replays_.front());
  replays_.erase(replays_.begin());
  protocol::ReplayComplete rc = std::move(active.job.complete);
  rc.replayed = active.next;
  rc.seq = active.last_replayed.value_or(rc.latest_seq);
  rc.recovered = active.job.recovered && !recovered_override_false;
  if (!rc.recovered && counters_ != nullptr) ++counters_->replay_unrecovered;
  if (active.last_replayed) {
    finished_.push_back(FinishedReplay{active.job.key.world_id, active.job.filter_chat, *active.last_replayed});
  }
  send(protocol::encode_replay_complete(rc, now_ms()));
}

void Session::abort_replays() {
  held_.clear();
  held_bytes_ = 0;
  finished_.clear();
  while (!replays_.empty() && !closing_) finish_front_replay(true);
  replays_.clear();
}

bool Session::replay_covers(const LiveFrame& frame) const {
  if (!frame.filtered || !frame.seq) return false;
  for (const auto& f : finished_) {
    if (f.world_id == frame.world_id && *frame.seq <= f.last_replayed_seq &&
        filter_matches(f.filter_chat, frame.chat_id)) {
      return true;
    }
  }
  return false;
}

void Session::release_held() {
  std::vector<LiveFrame> held = std::move(held_);
  held_.clear();
  held_bytes_ = 0;
  for (const auto& frame : held) {
    if (closing_) break;
    if (replay_covers(frame)) continue;
    // The subscription that wanted it may have gone during the replay.
    if (frame.filtered && !wants(frame.world_id, frame.chat_id)) continue;
    send(frame.json);
  }
  finished_.clear();
}

void Session::drop_replays_for(const SubscriptionKey* key, const std::string* world_id) {
  const bool was_replaying = !replays_.empty();
  replays_.erase(std::remove_if(replays_.begin(), replays_.end(),
                                [&](const ActiveReplay& r) {
                                  if (key != nullptr) return r.job.key == *key;
                                  if (world_id != nullptr) return r.job.key.world_id == *world_id;
                                  return true;
                                }),
                 replays_.end());
  // Dropping the last replay releases what it held back (the next pump would, but there may be none).
  if (was_replaying && replays_.empty() && !held_.empty()) release_held();
}

// --- Close -------------------------------------------------------------------------------------------------------

void Session::close(int code, const std::string& reason, long handshake_timeout_ms) {
  if (closing_) return;
  closing_ = true;
  close_code_ = code;
  held_.clear();
  held_bytes_ = 0;
  replays_.clear();
  gated_.clear();
  gated_bytes_ = 0;
  transport_->close(code, reason, handshake_timeout_ms);
}

}  // namespace aw::gateway
