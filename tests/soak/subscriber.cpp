// Subscriber (see subscriber.h).
#include "tests/soak/subscriber.h"

#include <utility>

#include "tests/support/json_builder.h"

namespace aw::test {
namespace {

// Load shape: a connection lives 1.5-6 s, then the subscriber is away 20-500 ms, long enough for events to pile up
// for the replay.
constexpr int kMinConnectedMs = 1500;
constexpr int kMaxConnectedMs = 6000;
constexpr int kMinAwayMs = 20;
constexpr int kMaxAwayMs = 500;
// One disconnect in three is an RST instead of a closing handshake.
constexpr int kResetOneIn = 3;

}  // namespace

Subscriber::Subscriber(int port, std::vector<std::string> worlds, std::uint32_t seed, SteadyTime first_connect)
    : socket_(port), rng_(seed), next_connect_(first_connect), disconnect_at_(first_connect) {
  for (std::string& world : worlds) cursors_.emplace(std::move(world), Cursor{});
}

Millis Subscriber::random_ms(int low, int high) { return Millis(std::uniform_int_distribution<int>(low, high)(rng_)); }

void Subscriber::step(SteadyTime now) {
  if (!socket_.is_open()) {
    if (now >= next_connect_) connect(now);
    return;
  }
  for (const Frame& frame : socket_.poll()) handle(frame);
  if (!socket_.is_open()) {
    tally_.violation("subscriber closed by the gateway with " + std::to_string(socket_.peer_close_code().value_or(0)));
    tally_.add("subscriber_closed_by_gateway");
    disconnect(now);
    return;
  }
  if (now >= disconnect_at_) disconnect(now);
}

void Subscriber::connect(SteadyTime now) {
  if (Status s = socket_.open(); !s) {
    tally_.violation("subscriber connect failed: " + s.message());
    next_connect_ = now + random_ms(kMinAwayMs, kMaxAwayMs);
    return;
  }
  tally_.add("subscriber_connects");
  subscribed_with_.clear();
  for (auto& [world, cursor] : cursors_) {
    cursor.acked = false;
    cursor.replaying = false;
    JsonObject frame;
    frame.set("type", "subscribe").set("worldId", world).set("requestId", "sub-" + world);
    if (cursor.last_seq >= 0) frame.set("seq", cursor.last_seq).set("epoch", cursor.epoch);
    subscribed_with_[world] = cursor.last_seq;
    if (Status s = socket_.send_text(frame.str()); !s) {
      tally_.violation("subscriber send failed: " + s.message());
      break;
    }
  }
  disconnect_at_ = now + random_ms(kMinConnectedMs, kMaxConnectedMs);
}

void Subscriber::disconnect(SteadyTime now) {
  if (socket_.is_open()) {
    if (std::uniform_int_distribution<int>(1, kResetOneIn)(rng_) == 1) {
      socket_.reset();
      tally_.add("subscriber_resets");
    } else {
      socket_.close();
      tally_.add("subscriber_closes");
    }
  }
  next_connect_ = now + random_ms(kMinAwayMs, kMaxAwayMs);
}

Subscriber::Cursor* Subscriber::cursor_of(const Frame& frame) {
  const auto it = cursors_.find(frame.string_at("worldId").value_or(""));
  if (it == cursors_.end()) {
    tally_.violation("subscriber got a frame of a world it did not subscribe to: " + frame.text.substr(0, 200));
    return nullptr;
  }
  return &it->second;
}

void Subscriber::handle(const Frame& frame) {
  const std::string type = frame.type();
  if (type == "event" || type == "crud") {
    const auto seq = frame.int_at("seq");
    if (!seq) {
      tally_.add("transient_frames");  // sse chunks: live only, never replayed
      return;
    }
    on_persisted(frame, *seq);
    return;
  }
  if (type == "status") {
    const std::string status = frame.status();
    if (status == "subscribed") return on_subscribed(frame);
    if (status == "replay-complete") return on_replay_complete(frame);
    tally_.add("lifecycle_statuses");  // processing / completed of the worlds followed
    return;
  }
  if (type == "error") {
    tally_.violation("subscriber got an error: " + frame.text.substr(0, 300));
    return;
  }
  tally_.violation("subscriber got an unexpected frame: " + frame.text.substr(0, 200));
}

void Subscriber::on_subscribed(const Frame& frame) {
  Cursor* cursor = cursor_of(frame);
  if (cursor == nullptr) return;
  const std::string world = frame.string_at("worldId").value_or("");
  const std::int64_t latest = frame.int_at("payload.latestSeq").value_or(-1);
  const std::int64_t sent_seq = subscribed_with_[world];
  cursor->acked = true;
  tally_.add("subscribe_acks");
  if (sent_seq < 0) {
    cursor->last_seq = latest;
    cursor->epoch = frame.string_at("payload.epoch").value_or("");
    if (latest <= 0 || cursor->epoch.empty()) tally_.violation("first ack of " + world + " without seq or epoch");
    return;
  }
  cursor->replaying = true;
  cursor->replay_end = latest;
  const bool recovered = frame.bool_at("payload.recovered").value_or(false);
  const std::int64_t count = frame.int_at("payload.replayCount").value_or(-1);
  if (!recovered || count != latest - sent_seq || frame.string_at("payload.epoch") != cursor->epoch) {
    tally_.violation("resubscribe to " + world + " from seq " + std::to_string(sent_seq) +
                     " expected recovered:true, replayCount " + std::to_string(latest - sent_seq) +
                     " and the same epoch; got " + frame.text.substr(0, 300));
  }
  tally_.add("replays");
}

void Subscriber::on_replay_complete(const Frame& frame) {
  Cursor* cursor = cursor_of(frame);
  if (cursor == nullptr) return;
  const std::string world = frame.string_at("worldId").value_or("");
  if (!cursor->replaying) {
    tally_.violation("replay-complete without a replay for " + world);
    return;
  }
  cursor->replaying = false;
  if (!frame.bool_at("payload.recovered").value_or(false) || cursor->last_seq != cursor->replay_end) {
    tally_.violation("replay of " + world + " ended at seq " + std::to_string(cursor->last_seq) + ", expected " +
                     std::to_string(cursor->replay_end) + " with recovered:true; got " + frame.text.substr(0, 300));
  }
}

void Subscriber::on_persisted(const Frame& frame, std::int64_t seq) {
  Cursor* cursor = cursor_of(frame);
  if (cursor == nullptr) return;
  const std::string world = frame.string_at("worldId").value_or("");
  const bool historical = frame.bool_at("historical").value_or(false);
  if (!cursor->acked) {
    tally_.violation("seq " + std::to_string(seq) + " of " + world + " arrived before the subscribe ack");
  } else if (historical != cursor->replaying) {
    tally_.violation(std::string(historical ? "historical frame outside a replay" : "live frame inside a replay") +
                     " of " + world + " at seq " + std::to_string(seq));
  }
  tally_.add(historical ? "replayed_frames" : "live_persisted_frames");
  if (seq == cursor->last_seq + 1) {
    cursor->last_seq = seq;
    return;
  }
  if (seq <= cursor->last_seq) {
    tally_.add("seq_duplicates");
    tally_.violation("duplicate or reordered seq " + std::to_string(seq) + " of " + world + " after " +
                     std::to_string(cursor->last_seq));
    return;
  }
  tally_.add("seq_gaps");
  tally_.violation("seq gap in " + world + ": " + std::to_string(cursor->last_seq) + " then " + std::to_string(seq) +
                   (historical ? " (replay)" : " (live)"));
  cursor->last_seq = seq;
}

bool Subscriber::drain(SteadyTime now) {
  (void)now;
  if (socket_.is_open()) {
    for (const Frame& frame : socket_.poll()) handle(frame);
  }
  return true;
}

void Subscriber::finish() {
  if (socket_.is_open()) socket_.close();
  tally_.add("frames_in", socket_.frames_in());
  tally_.add("frames_out", socket_.frames_out());
}

}  // namespace aw::test
