// SubscriptionIndex: world -> the sessions holding at least one subscription of it, and the fan-out that uses it
// (ws-protocol.md §5.1, §5.2, §5.3).
// - Events and crud frames go to each session of the world whose subscriptions let the frame's chat through (a
//   frame without chat, e.g. crud, passes every filter), at most one copy per connection.
// - Lifecycle statuses go to every session of the world regardless of chat filter, and to the originating session
//   once, even when it is also a subscriber.
// The frame is encoded once by its producer; every session gets the same shared bytes.
// Sessions are borrowed: the owner (GatewayService) removes a session from the index before destroying it.
// Thread-safety: loop thread only.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <unordered_map>

#include "gateway/core/gateway_core.h"
#include "gateway/session/session.h"

namespace aw::gateway {

class SubscriptionIndex {
 public:
  // Records that `session` holds a subscription of `world_id` (idempotent).
  void add(const std::string& world_id, Session* session);
  // Forgets `session` for `world_id` when it holds no subscription of it any more.
  void sync(const std::string& world_id, Session* session);
  // Forgets `session` everywhere (it is closing).
  void remove_session(Session* session);

  // Sessions of a world, in a stable order (empty when none).
  const std::set<Session*>& sessions_of(const std::string& world_id) const;
  // Worlds with at least one subscription (the `worlds` of /health).
  std::size_t world_count() const { return by_world_.size(); }

  // Fans an event or crud frame out to the subscribers whose filter lets it through. `frame.seq` 0 marks a
  // transient frame (an sse chunk, never persisted).
  // Returns the number of sessions it was delivered to.
  std::size_t deliver_persisted(const PersistedFrame& frame);
  // Fans a lifecycle status out to every subscriber of the world and to `origin` (may be null), once each.
  std::size_t deliver_status(const StatusBroadcast& status, Session* origin);

 private:
  std::unordered_map<std::string, std::set<Session*>> by_world_;
};

}  // namespace aw::gateway
