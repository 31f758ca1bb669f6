// Durable enqueue of a `message` frame (ws-protocol.md §4.5, §7.1, §7.3): existence of the world, idempotency on
// (worldId, messageId), the per-world pending cap, and a commit that the `queued` ack can rely on after a power
// loss: with synchronous=FULL (`full_sync`), or without a sync of its own, when the caller makes the WAL durable
// before it sends the ack (GatewayCore::watch_durability). No processor is involved: the item stays `pending` until
// the dispatcher takes it.
// Thread-safety: loop thread only.
#pragma once

#include "gateway/core/gateway_core.h"
#include "gateway/storage/storage.h"

namespace aw::gateway {

// Errors: world_not_found `World '<id>' not found`; limit_exceeded `Queue for world '<id>' is full`;
// message_id_conflict `Message '<id>' was already used for a different message`; internal `Failed to queue message`.
// `committed` (may be null) is set to true when a new item was committed.
EnqueueResult enqueue_message(storage::Storage& storage, const CoreOptions& options, const EnqueueRequest& request,
                              EpochMs now, const Logger& logger, bool full_sync = true, bool* committed = nullptr);

}  // namespace aw::gateway
