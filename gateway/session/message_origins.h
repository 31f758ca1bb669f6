// MessageOrigins: which connection enqueued a message (or issued `retry-failed` for it), so that its lifecycle
// statuses reach that connection even without a subscription of the world (ws-protocol.md §5.1).
// An entry lives until the message's terminal status (`completed` / `failed`) was delivered, or its session closed.
// Thread-safety: loop thread only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gateway/session/session.h"

namespace aw::gateway {

class MessageOrigins {
 public:
  // Records (replaces) the origin of (world_id, message_id).
  void record(const std::string& world_id, const std::string& message_id, SessionId session);
  std::optional<SessionId> find(const std::string& world_id, const std::string& message_id) const;
  void forget(const std::string& world_id, const std::string& message_id);
  void forget_session(SessionId session);
  std::size_t size() const { return origins_.size(); }

 private:
  using Key = std::pair<std::string, std::string>;  // (world, messageId)
  std::map<Key, SessionId> origins_;
  std::unordered_map<SessionId, std::vector<Key>> by_session_;
};

}  // namespace aw::gateway
