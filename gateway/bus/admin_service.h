// The admin endpoint's requests (bus-protocol.md §10): request {v, kind:"admin", op, params?}, reply
// {v, kind:"admin-result", op, ok, data? | error?}.
// Read-only ops: health, processors (id, free slots, runs, age of the latest hb), queue-status and list-failed (the
// WebSocket commands' data, ws-protocol.md §8.3, over all worlds; list-failed takes params {worldId?, limit?}).
// Mutating ops (retry-failed, cancel-message, purge-failed) answer ok:false error:"read-only": they need CURVE and
// AW_ADMIN_CURVE_CLIENTS, which this gateway does not implement yet. Anything else: ok:false with the reason.
// Thread-safety: loop thread only (reads the core, the registry and the leases).
#pragma once

#include <string>
#include <string_view>

#include "gateway/bus/clock.h"
#include "gateway/bus/lease_table.h"
#include "gateway/bus/processor_registry.h"
#include "gateway/core/gateway_core.h"

namespace aw::gateway::bus {

struct AdminContext {
  GatewayCore& core;
  const ProcessorRegistry& processors;
  const LeaseTable& leases;
  Clock& clock;
  std::size_t dispatched = 0;  // pushed, not yet granted
};

std::string handle_admin_request(std::string_view request, AdminContext& ctx);

}  // namespace aw::gateway::bus
