// Sender (see sender.h).
#include "tests/soak/sender.h"

#include <utility>

#include "tests/support/json_builder.h"

namespace aw::test {
namespace {

// Load shape: one message every 2.5-6.5 s per sender (30 senders: about 7 messages/s over 12 worlds), one send in
// ten a duplicate of an earlier message.
constexpr int kMinGapMs = 2500;
constexpr int kMaxGapMs = 6500;
constexpr int kDuplicateOneIn = 10;
constexpr int kWithChatOneIn = 2;

}  // namespace

Sender::Sender(int port, std::map<std::string, std::string> world_chats, std::string id_prefix, std::uint32_t seed,
               SteadyTime first_send)
    : socket_(port),
      world_chats_(world_chats.begin(), world_chats.end()),
      id_prefix_(std::move(id_prefix)),
      rng_(seed),
      next_send_(first_send) {}

std::string Sender::frame_of(const std::string& message_id, const Sent& sent) const {
  JsonObject frame;
  frame.set("type", "message").set("worldId", sent.world).set("messageId", message_id);
  if (!sent.chat.empty()) frame.set("chatId", sent.chat);
  frame.set("payload", JsonObject().set("content", "soak message " + message_id).set("sender", "human"));
  return frame.str();
}

void Sender::step(SteadyTime now) {
  if (!socket_.is_open()) {
    if (Status s = socket_.open(); !s) {
      tally_.violation("sender connect failed: " + s.message());
      return;
    }
    tally_.add("sender_connects");
    connected_once_ = true;
  }
  read();
  if (!sending_ || now < next_send_ || !socket_.is_open()) return;
  if (!repeatable_ids_.empty() && std::uniform_int_distribution<int>(1, kDuplicateOneIn)(rng_) == 1) {
    send_duplicate();
  } else {
    send_new();
  }
  next_send_ = now + Millis(std::uniform_int_distribution<int>(kMinGapMs, kMaxGapMs)(rng_));
}

void Sender::send_new() {
  const std::string id = id_prefix_ + "-" + std::to_string(next_index_++);
  const auto& [world, chat] =
      world_chats_[std::uniform_int_distribution<std::size_t>(0, world_chats_.size() - 1)(rng_)];
  Sent sent;
  sent.world = world;
  if (std::uniform_int_distribution<int>(1, kWithChatOneIn)(rng_) == 1) sent.chat = chat;
  if (Status s = socket_.send_text(frame_of(id, sent)); !s) {
    tally_.violation("sender send failed: " + s.message());
    return;
  }
  sent_.emplace(id, std::move(sent));
  tally_.add("messages_sent");
}

void Sender::send_duplicate() {
  const std::string& id =
      repeatable_ids_[std::uniform_int_distribution<std::size_t>(0, repeatable_ids_.size() - 1)(rng_)];
  if (Status s = socket_.send_text(frame_of(id, sent_.at(id))); !s) {
    tally_.violation("sender send failed: " + s.message());
    return;
  }
  tally_.add("duplicates_sent");
}

void Sender::read() {
  for (const Frame& frame : socket_.poll()) handle(frame);
  if (!socket_.is_open() && socket_.peer_close_code()) {
    tally_.violation("sender closed by the gateway with " + std::to_string(*socket_.peer_close_code()));
  }
}

void Sender::handle(const Frame& frame) {
  if (frame.type() == "error") {
    tally_.violation("sender got an error: " + frame.text.substr(0, 300));
    return;
  }
  if (frame.type() != "status") {
    tally_.violation("sender got an unexpected frame: " + frame.text.substr(0, 200));
    return;
  }
  const std::string id = frame.string_at("messageId").value_or("");
  const auto it = sent_.find(id);
  if (it == sent_.end()) {
    tally_.violation("sender got a status for a message it did not send: " + frame.text.substr(0, 200));
    return;
  }
  Sent& sent = it->second;
  const std::string status = frame.status();
  if (status == "queued") {
    const bool duplicate = frame.bool_at("payload.duplicate").value_or(false);
    if (++sent.queued_acks == 1) {
      if (duplicate) tally_.violation("first send of " + id + " acknowledged as a duplicate");
      tally_.message_queued(id, sent.world);
      repeatable_ids_.push_back(id);
    } else if (!duplicate) {
      tally_.violation("second send of " + id + " not acknowledged as a duplicate: " + frame.text.substr(0, 200));
    } else {
      tally_.add("duplicate_acks");
    }
  } else if (status == "processing") {
    tally_.add("processing_statuses");
  } else if (status == "completed") {
    if (sent.completed) tally_.violation("message " + id + " completed twice");
    sent.completed = true;
    tally_.message_completed(id);
  } else if (status == "retrying") {
    // Not wrong in itself (a lease can expire on a starved machine), but worth seeing in the summary.
    tally_.add("retrying_statuses");
  } else if (status == "failed") {
    sent.failed = true;
    tally_.violation("message " + id + " failed: " + frame.text.substr(0, 300));
  } else {
    tally_.violation("sender got an unexpected status: " + frame.text.substr(0, 200));
  }
}

bool Sender::drain(SteadyTime now) {
  (void)now;
  sending_ = false;
  if (socket_.is_open()) read();
  for (const auto& [id, sent] : sent_) {
    if (!sent.completed && !sent.failed) return false;
  }
  return true;
}

void Sender::finish() {
  if (socket_.is_open()) socket_.close();
  for (const auto& [id, sent] : sent_) {
    if (sent.queued_acks == 0) tally_.violation("message " + id + " was never acknowledged as queued");
    if (!sent.completed && !sent.failed) tally_.violation("message " + id + " got no completed status");
  }
  tally_.add("frames_in", socket_.frames_in());
  tally_.add("frames_out", socket_.frames_out());
}

}  // namespace aw::test
