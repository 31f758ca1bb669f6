// The admin endpoint's requests (bus-protocol.md §10): request {v, kind:"admin", op, params?}, reply
// {v, kind:"admin-result", op, ok, data? | error?}.
// Read-only ops: health, processors (id, free slots, runs, age of the latest hb), queue-status and list-failed (the
// WebSocket commands' data, ws-protocol.md §8.3, over all worlds; list-failed takes params {worldId?, limit?}).
// Mutating ops (retry-failed, cancel-message, purge-failed) answer ok:false error:"read-only" unless the caller is
// admitted by CURVE with a key in AW_ADMIN_CURVE_CLIENTS (AdminContext::may_mutate, from BusNode's ZAP user id).
// Admitted, each is logged with the caller's key (one "admin mutation" line per world) and runs over all worlds
// unless params.worldId names one (§10):
// - retry-failed {worldId?, messageId?}: the WebSocket command (ws-protocol.md §8.3) through AdminContext::mutate,
//   with operator rights. With worldId its data is the command's ({requeued:[messageId]}); without, the command
//   runs in every world with a matching failed item and the data is {requeued:[{worldId, messageId}]}; a messageId
//   failed nowhere → "Message '<id>' is not in failed state" (or "... not found").
// - cancel-message {worldId?, messageId}: with worldId the command's data ({messageId, cancelled, state}); without,
//   the command runs in every world holding that messageId: {messageId, cancelled (any), worlds:[{worldId,
//   cancelled, state}]}; held nowhere → "Message '<id>' not found".
// - purge-failed {worldId?, messageId?}: deletes `failed` (dead-letter) rows only, of one world or all, only the one
//   named when messageId is set, in one transaction; no status is sent (the items ended `failed` long before).
//   Data {purged:[{worldId, messageId}]}; a named messageId that is not failed → an error as for retry-failed.
// Anything else: ok:false with the reason.
// Thread-safety: loop thread only (reads the core, the registry and the leases).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/log.h"
#include "gateway/bus/clock.h"
#include "gateway/bus/lease_table.h"
#include "gateway/bus/processor_registry.h"
#include "gateway/core/gateway_core.h"
#include "gateway/storage/storage.h"

namespace aw::gateway::bus {

struct AdminContext {
  GatewayCore& core;
  const ProcessorRegistry& processors;
  const LeaseTable& leases;
  Clock& clock;
  std::size_t dispatched = 0;  // pushed, not yet granted
  // The caller: its CURVE key (empty without CURVE) and whether it is in AW_ADMIN_CURVE_CLIENTS.
  std::string caller_key = {};
  bool may_mutate = false;
  // Runs a mutating command with its side effects (statuses to clients and the tap, cancel propagation, a pump);
  // null = mutations unavailable.
  std::function<CommandResult(std::string_view command, const json::Value& params,
                              const std::optional<std::string>& world_id, const Principal& principal)>
      mutate = nullptr;
  const Logger* logger = nullptr;       // for the audit line of each mutation; may be null
  storage::Storage* storage = nullptr;  // the queue, for the ops over all worlds; null = mutations unavailable
};

std::string handle_admin_request(std::string_view request, AdminContext& ctx);

}  // namespace aw::gateway::bus
