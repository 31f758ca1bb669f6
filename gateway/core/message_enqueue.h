// Durable enqueue of a `message` frame (ws-protocol.md §4.5, §7.1, §7.3): existence of the world, idempotency on
// (worldId, messageId), the per-world pending cap, and a commit with synchronous=FULL so the `queued` ack survives a
// power loss. No processor is involved: the item stays `pending` until the dispatcher takes it.
// Thread-safety: loop thread only.
#pragma once

#include "gateway/core/gateway_core.h"
#include "gateway/storage/storage.h"

namespace aw::gateway {

// Errors: world_not_found `World '<id>' not found`; limit_exceeded `Queue for world '<id>' is full`;
// message_id_conflict `Message '<id>' was already used for a different message`; internal `Failed to queue message`.
EnqueueResult enqueue_message(storage::Storage& storage, const CoreOptions& options, const EnqueueRequest& request,
                              EpochMs now, const Logger& logger);

}  // namespace aw::gateway
