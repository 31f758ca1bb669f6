// The snapshot a `subscribe` needs (ws-protocol.md §4.3 behaviour 2-4): latest seq, epoch, whether the chat exists,
// and, when the client sent a last seen seq and every matching frame after it can be replayed, those frames in the
// historical shape. There is never a partial replay.
// Thread-safety: loop thread only.
#pragma once

#include "gateway/core/gateway_core.h"
#include "gateway/storage/storage.h"

namespace aw::gateway {

// Storage failures are logged and answered as an unrecoverable snapshot (recovered false, no replay).
SubscribeSnapshot snapshot_subscription(storage::Storage& storage, const CoreOptions& options,
                                        const SubscribeRequest& request, const Logger& logger);

}  // namespace aw::gateway
