// FrameRouter (see frame_router.h).
#include "client/frame_router.h"

namespace aw::client {

void FrameRouter::route(const ServerFrame& f) {
  if (handlers_.on_frame) handlers_.on_frame(f);
  track_subscriptions(f);
  if (auto completion = requests_.match(f)) {
    completion->first(std::move(completion->second));
    return;
  }
  if ((f.type == "event" || f.type == "crud") && f.seq && !book_.accept(f.world_id, f.chat_id, *f.seq)) return;
  const FrameHandler* h = nullptr;
  if (f.type == "event") {
    if (f.event_type == "message") h = &handlers_.on_message;
    if (f.event_type == "sse") h = &handlers_.on_sse;
    if (f.event_type == "world") h = &handlers_.on_world;
    if (f.event_type == "system") h = &handlers_.on_system;
  } else if (f.type == "crud") {
    h = &handlers_.on_crud;
  } else if (f.type == "status") {
    h = &handlers_.on_status;
  } else if (f.type == "error") {
    h = &handlers_.on_error;
  }
  if (h != nullptr && *h) (*h)(f);
}

// Bookkeeping that holds whoever asked: acks, replay ends, and subscriptions the server removed.
void FrameRouter::track_subscriptions(const ServerFrame& f) {
  if (f.type != "status") return;
  if (f.status == "subscribed") {
    book_.on_ack(f.world_id, f.chat_id, f.payload_string("epoch").value_or(""), f.payload_int("seq").value_or(0),
                 f.payload_int("replayCount").value_or(0));
  } else if (f.status == "replay-complete") {
    book_.on_replay_complete(f.world_id, f.chat_id, f.payload_int("latestSeq").value_or(0));
    if (f.payload_bool("recovered") == false && handlers_.on_reload) handlers_.on_reload(f.world_id, f.chat_id);
  } else if (f.status == "unsubscribed" && f.request_id.empty() && f.payload_string("reason")) {
    book_.remove(f.world_id, f.chat_id, !f.chat_id.has_value());
  }
}

std::vector<FrameRouter::Resubscribe> FrameRouter::resubscribes() const {
  std::vector<Resubscribe> out;
  for (const Subscription& s : book_.all()) {
    Resubscribe r;
    r.frame = make_subscribe(s.world_id, s.chat_id);
    if (!s.epoch.empty()) {
      r.frame.from_seq = s.last_seq;
      r.frame.epoch = s.epoch;
    } else if (s.last_seq > 0) {
      r.frame.from_seq = s.last_seq;
    }
    r.asked_replay = r.frame.from_seq.has_value();
    r.subscription = s;
    out.push_back(std::move(r));
  }
  return out;
}

void FrameRouter::on_resubscribed(const Resubscribe& r, const Result<ServerFrame>& answer) const {
  if (answer && r.asked_replay && answer->payload_bool("recovered") == false && handlers_.on_reload) {
    handlers_.on_reload(r.subscription.world_id, r.subscription.chat_id);
  }
}

}  // namespace aw::client
