// Abuser (see abuser.h).
#include "tests/soak/abuser.h"

#include <utility>

#include "tests/support/json_builder.h"

namespace aw::test {
namespace {

// Load shape: one abuse every 150-700 ms per abuser, reconnecting 50-300 ms after a close.
constexpr int kMinGapMs = 150;
constexpr int kMaxGapMs = 700;
constexpr int kMinAwayMs = 50;
constexpr int kMaxAwayMs = 300;
// The gateway answers at once; this only bounds a starved machine.
constexpr Millis kAnswerTimeout{10000};
// A flood is 2 x AW_RATE_LIMIT_BURST frames plus this margin, sent back to back: the burst's tokens, then as many
// consecutive refusals close the connection with 4029 (unless a token refills in between, see on_flood_frame).
constexpr int kFloodMargin = 10;

enum class Abuse {
  BadJson,
  NotAnObject,
  UnknownType,
  MissingType,
  WrongFieldType,
  BadMessageContent,
  UnknownWorld,
  UnknownCommand,
  NoCommand,
  BinaryGarbage,
  BinaryPing,
  Oversized,
  InvalidUtf8,
  Flood,
  SubscribeAndReset,
  CommandAndReset,
};

struct AbuseKind {
  Abuse abuse;
  const char* name;
  int weight;
};

constexpr AbuseKind kKinds[] = {
    {Abuse::BadJson, "bad_json", 8},
    {Abuse::NotAnObject, "not_an_object", 6},
    {Abuse::UnknownType, "unknown_type", 8},
    {Abuse::MissingType, "missing_type", 6},
    {Abuse::WrongFieldType, "wrong_field_type", 8},
    {Abuse::BadMessageContent, "bad_message_content", 6},
    {Abuse::UnknownWorld, "unknown_world", 6},
    {Abuse::UnknownCommand, "unknown_command", 8},
    {Abuse::NoCommand, "no_command", 6},
    {Abuse::BinaryGarbage, "binary_garbage", 6},
    {Abuse::BinaryPing, "binary_ping", 8},
    {Abuse::Oversized, "oversized", 6},
    {Abuse::InvalidUtf8, "invalid_utf8", 5},
    {Abuse::Flood, "flood", 1},
    {Abuse::SubscribeAndReset, "subscribe_and_reset", 4},
    {Abuse::CommandAndReset, "command_and_reset", 4},
};

constexpr std::uint8_t kOpText = 1;
constexpr std::uint8_t kOpBinary = 2;

}  // namespace

Abuser::Abuser(int port, std::vector<std::string> worlds, std::size_t max_frame_bytes, int rate_limit_burst,
               std::uint32_t seed, SteadyTime first_action)
    : socket_(port),
      worlds_(std::move(worlds)),
      max_frame_bytes_(max_frame_bytes),
      rate_limit_burst_(rate_limit_burst),
      rng_(seed),
      next_action_(first_action) {}

std::string Abuser::next_request_id() { return "abuse-" + std::to_string(++request_counter_); }

void Abuser::send(std::uint8_t opcode, const std::string& payload) {
  // A send can fail when the gateway has already closed; the expectation then decides.
  if (socket_.send(opcode, payload)) tally_.add("abuse_frames");
}

void Abuser::expect_error(const std::string& kind, std::string code, std::string request_id, SteadyTime now) {
  expecting_ = Expectation{kind, "error", std::move(code), std::move(request_id), 0, now + kAnswerTimeout, 0};
}

void Abuser::expect_close(const std::string& kind, int code, SteadyTime now) {
  expecting_ = Expectation{kind, "", "", "", code, now + kAnswerTimeout, 0};
}

void Abuser::reconnect_later(SteadyTime now) {
  next_action_ = now + Millis(std::uniform_int_distribution<int>(kMinAwayMs, kMaxAwayMs)(rng_));
}

void Abuser::met(SteadyTime now) {
  tally_.add("abuse_answered_" + expecting_->kind);
  expecting_.reset();
  next_action_ = now + Millis(std::uniform_int_distribution<int>(kMinGapMs, kMaxGapMs)(rng_));
}

void Abuser::step(SteadyTime now) {
  if (socket_.is_open()) {
    for (const Frame& frame : socket_.poll()) handle(frame, now);
  }
  if (!socket_.is_open() && socket_.peer_close_code()) {
    const int code = *socket_.peer_close_code();
    if (expecting_ && expecting_->close_code == code) {
      tally_.add("abuse_close_" + std::to_string(code));
      met(now);
    } else {
      tally_.violation("abuser closed by the gateway with " + std::to_string(code) + " while expecting " +
                       (expecting_ ? expecting_->kind : std::string("nothing")));
      expecting_.reset();
    }
    socket_.reset();  // forget the close code
    reconnect_later(now);
    return;
  }
  if (expecting_) {
    if (now > expecting_->deadline) {
      tally_.violation("abuse " + expecting_->kind + ": no answer within " + std::to_string(kAnswerTimeout.count()) +
                       " ms");
      expecting_.reset();
      socket_.reset();
      reconnect_later(now);
    }
    return;
  }
  if (draining_ || now < next_action_) return;
  if (!socket_.is_open()) {
    if (Status s = socket_.open(); !s) {
      tally_.violation("abuser connect failed: " + s.message());
      reconnect_later(now);
      return;
    }
    tally_.add("abuser_connects");
  }
  act(now);
}

void Abuser::act(SteadyTime now) {
  static const std::discrete_distribution<int> kPick = [] {
    std::vector<int> weights;
    for (const AbuseKind& k : kKinds) weights.push_back(k.weight);
    return std::discrete_distribution<int>(weights.begin(), weights.end());
  }();
  std::discrete_distribution<int> pick = kPick;
  const AbuseKind& kind = kKinds[pick(rng_)];
  tally_.add(std::string("abuse_") + kind.name);
  const std::string rid = next_request_id();
  const std::string& world = worlds_[std::uniform_int_distribution<std::size_t>(0, worlds_.size() - 1)(rng_)];
  switch (kind.abuse) {
    case Abuse::BadJson:
      send(kOpText, R"({"type":"ping",)");
      return expect_error(kind.name, "bad_json", "", now);
    case Abuse::NotAnObject:
      send(kOpText, "[1,2,3]");
      return expect_error(kind.name, "bad_json", "", now);
    case Abuse::UnknownType:
      send(kOpText, JsonObject().set("type", "frobnicate").set("requestId", rid).str());
      return expect_error(kind.name, "unknown_type", rid, now);
    case Abuse::MissingType:
      send(kOpText, JsonObject().set("worldId", world).set("requestId", rid).str());
      return expect_error(kind.name, "unknown_type", rid, now);
    case Abuse::WrongFieldType:
      send(kOpText, JsonObject().set("type", "subscribe").set("worldId", 42).set("requestId", rid).str());
      return expect_error(kind.name, "invalid_request", rid, now);
    case Abuse::BadMessageContent:
      send(kOpText, JsonObject()
                        .set("type", "message")
                        .set("worldId", world)
                        .set("messageId", rid)
                        .set("payload", JsonObject().set("content", 5))
                        .set("requestId", rid)
                        .str());
      return expect_error(kind.name, "invalid_request", rid, now);
    case Abuse::UnknownWorld:
      send(kOpText, JsonObject()
                        .set("type", "message")
                        .set("worldId", "soak-no-such-world")
                        .set("messageId", rid)
                        .set("requestId", rid)
                        .str());
      return expect_error(kind.name, "world_not_found", rid, now);
    case Abuse::UnknownCommand:
      send(kOpText, JsonObject()
                        .set("type", "command")
                        .set("payload", JsonObject().set("command", "no-such-command"))
                        .set("requestId", rid)
                        .str());
      return expect_error(kind.name, "unknown_command", rid, now);
    case Abuse::NoCommand:
      send(kOpText, JsonObject().set("type", "command").set("payload", JsonObject()).set("requestId", rid).str());
      return expect_error(kind.name, "invalid_request", rid, now);
    case Abuse::BinaryGarbage:
      send(kOpBinary, "not json at all");
      return expect_error(kind.name, "bad_json", "", now);
    case Abuse::BinaryPing:
      send(kOpBinary, JsonObject().set("type", "ping").set("requestId", rid).str());
      expect_error(kind.name, "", rid, now);
      expecting_->type = "pong";
      return;
    case Abuse::Oversized:
      send(kOpText, R"({"type":"ping","pad":")" + std::string(max_frame_bytes_ + 512, 'x') + R"("})");
      return expect_close(kind.name, 1009, now);
    case Abuse::InvalidUtf8:
      send(kOpText, "{\"type\":\"ping\",\"x\":\"\xff\xfe\xc0\xaf\"}");
      return expect_close(kind.name, 1007, now);
    case Abuse::Flood:
      for (int i = 0; i < 2 * rate_limit_burst_ + kFloodMargin; ++i) send(kOpText, R"({"type":"flood"})");
      // A JSON ping is free of the rate limit: its pong tells that the flood was read without a close.
      send(kOpText, JsonObject().set("type", "ping").set("requestId", rid).str());
      expect_close(kind.name, 4029, now);
      expecting_->request_id = rid;
      return;
    case Abuse::SubscribeAndReset:
      send(kOpText, JsonObject().set("type", "subscribe").set("worldId", world).set("requestId", rid).str());
      socket_.reset();
      return reconnect_later(now);
    case Abuse::CommandAndReset:
      send(kOpText, JsonObject()
                        .set("type", "command")
                        .set("worldId", world)
                        .set("payload", JsonObject().set("command", "get-world"))
                        .set("requestId", rid)
                        .str());
      socket_.reset();
      return reconnect_later(now);
  }
}

void Abuser::handle(const Frame& frame, SteadyTime now) {
  if (!expecting_) return;  // the tail of a finished abuse
  if (expecting_->close_code != 0) {
    if (expecting_->kind == "flood") on_flood_frame(frame, now);
    return;
  }
  const bool same_request = expecting_->request_id.empty() || frame.string_at("requestId") == expecting_->request_id;
  if (frame.type() == expecting_->type && same_request &&
      (expecting_->type != "error" || frame.string_at("code") == expecting_->code)) {
    return met(now);
  }
  // The second frame of a failed command (status error) may trail its error frame; anything else is wrong.
  if (frame.type() == "status" && frame.status() == "error") return;
  tally_.violation("abuse " + expecting_->kind + " expected " + expecting_->type + " " + expecting_->code + ", got " +
                   frame.text.substr(0, 300));
  expecting_.reset();
}

void Abuser::on_flood_frame(const Frame& frame, SteadyTime now) {
  if (frame.type() == "error" && frame.string_at("code") == std::string("rate_limited")) {
    ++expecting_->refusals;
    return;
  }
  if (frame.type() != "pong" || frame.string_at("requestId") != expecting_->request_id) return;
  // The pong came, so the gateway read the whole flood without closing: a token refilled while it worked through
  // the refusals (one per 1/AW_RATE_LIMIT_RPS s) and restarted the count of consecutive refusals. That happens when
  // the gateway's loop is busy; what must hold then is that the flood was refused.
  if (expecting_->refusals == 0) {
    tally_.violation("flood of " + std::to_string(2 * rate_limit_burst_ + kFloodMargin) +
                     " frames got no rate_limited error and no close");
    expecting_.reset();
    return;
  }
  tally_.add("abuse_flood_refused_without_close");
  met(now);
}

bool Abuser::drain(SteadyTime now) {
  draining_ = true;
  step(now);
  return !expecting_.has_value();
}

void Abuser::finish() {
  if (expecting_) tally_.violation("abuse " + expecting_->kind + " still unanswered at the end");
  if (socket_.is_open()) socket_.close();
  tally_.add("frames_in", socket_.frames_in());
  tally_.add("frames_out", socket_.frames_out());
}

}  // namespace aw::test
