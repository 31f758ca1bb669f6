// MessageOrigins (see message_origins.h).
#include "gateway/session/message_origins.h"

namespace aw::gateway {

void MessageOrigins::record(const std::string& world_id, const std::string& message_id, SessionId session) {
  Key key{world_id, message_id};
  auto [it, inserted] = origins_.emplace(key, session);
  if (!inserted) {
    if (it->second == session) return;
    it->second = session;
  }
  by_session_[session].push_back(std::move(key));
}

std::optional<SessionId> MessageOrigins::find(const std::string& world_id, const std::string& message_id) const {
  auto it = origins_.find(Key{world_id, message_id});
  if (it == origins_.end()) return std::nullopt;
  return it->second;
}

void MessageOrigins::forget(const std::string& world_id, const std::string& message_id) {
  // The session's reverse list keeps the key; forget_session() tolerates keys that moved on or went.
  origins_.erase(Key{world_id, message_id});
}

void MessageOrigins::forget_session(SessionId session) {
  auto it = by_session_.find(session);
  if (it == by_session_.end()) return;
  for (const Key& key : it->second) {
    auto o = origins_.find(key);
    if (o != origins_.end() && o->second == session) origins_.erase(o);
  }
  by_session_.erase(it);
}

}  // namespace aw::gateway
