// FrameRouter: where a frame received from the gateway goes (ws-protocol.md §5): first the subscription bookkeeping
// (acks record the epoch, `replay-complete` moves the position and reports `recovered:false`, server-side
// unsubscribes forget the subscription), then the request it answers (RequestTable), else, after de-duplication by
// seq (SubscriptionBook), the program's typed handler. It also plans the resubscribes after a reconnect and reports
// the ones the gateway could not replay (on_reload).
// Thread-safety: none; owned by the client's io thread. Handlers are called from route().
#pragma once

#include <vector>

#include "client/handlers.h"
#include "client/outgoing_frame.h"
#include "client/request_table.h"
#include "client/server_frame.h"
#include "client/subscription_book.h"

namespace aw::client {

class FrameRouter {
 public:
  // `handlers` must outlive the router.
  explicit FrameRouter(const Handlers& handlers) : handlers_(handlers) {}

  void route(const ServerFrame& frame);

  RequestTable& requests() { return requests_; }
  SubscriptionBook& book() { return book_; }

  struct Resubscribe {
    OutgoingFrame frame;  // subscribe with fromSeq/epoch from the book
    Subscription subscription;
    bool asked_replay = false;
  };
  // One subscribe frame per subscription, from its last seq and epoch (with an epoch, fromSeq 0 asks for
  // everything since the world began).
  std::vector<Resubscribe> resubscribes() const;
  // The gateway's answer to a resubscribe: calls on_reload when it could not replay (recovered:false).
  void on_resubscribed(const Resubscribe& resubscribe, const Result<ServerFrame>& answer) const;

 private:
  void track_subscriptions(const ServerFrame& f);

  const Handlers& handlers_;
  RequestTable requests_;
  SubscriptionBook book_;
};

}  // namespace aw::client
