// SubscriptionIndex (see subscription_index.h).
#include "gateway/session/subscription_index.h"

namespace aw::gateway {

void SubscriptionIndex::add(const std::string& world_id, Session* session) { by_world_[world_id].insert(session); }

void SubscriptionIndex::sync(const std::string& world_id, Session* session) {
  if (session->has_world(world_id)) {
    add(world_id, session);
    return;
  }
  auto it = by_world_.find(world_id);
  if (it == by_world_.end()) return;
  it->second.erase(session);
  if (it->second.empty()) by_world_.erase(it);
}

void SubscriptionIndex::remove_session(Session* session) {
  for (auto it = by_world_.begin(); it != by_world_.end();) {
    it->second.erase(session);
    if (it->second.empty()) {
      it = by_world_.erase(it);
    } else {
      ++it;
    }
  }
}

const std::set<Session*>& SubscriptionIndex::sessions_of(const std::string& world_id) const {
  static const std::set<Session*> kNone;
  auto it = by_world_.find(world_id);
  return it == by_world_.end() ? kNone : it->second;
}

std::size_t SubscriptionIndex::deliver_persisted(const PersistedFrame& frame) {
  auto it = by_world_.find(frame.world_id);
  if (it == by_world_.end()) return 0;
  // seq 0 marks a transient frame (an sse chunk): it has no place in the log, so no replay can have carried it.
  const std::optional<Seq> seq = frame.seq > 0 ? std::optional<Seq>(frame.seq) : std::nullopt;
  LiveFrame live{frame.live_json, frame.world_id, frame.chat_id, seq, true};
  std::size_t delivered = 0;
  // Session::deliver never removes a session from the index (a close is reported later, from the loop), so the
  // set is stable while we walk it.
  for (Session* session : it->second) {
    if (!session->wants(frame.world_id, frame.chat_id)) continue;
    session->deliver(live);
    ++delivered;
  }
  return delivered;
}

std::size_t SubscriptionIndex::deliver_status(const StatusBroadcast& status, Session* origin) {
  LiveFrame live{status.json, status.world_id, std::nullopt, std::nullopt, false};
  std::size_t delivered = 0;
  bool origin_served = false;
  auto it = by_world_.find(status.world_id);
  if (it != by_world_.end()) {
    for (Session* session : it->second) {
      session->deliver(live);
      ++delivered;
      if (session == origin) origin_served = true;
    }
  }
  if (origin != nullptr && !origin_served) {
    origin->deliver(live);
    ++delivered;
  }
  return delivered;
}

}  // namespace aw::gateway
