// BusOutput: what the bus logic sends, as an interface so that the loop wires it to the real sockets (PUSH work,
// PUB ctl, both owned by the loop thread) and to the WebSocket fan-out, and tests record it.
// BusCounters: the bus metrics of /metrics (agentworld_bus_dropped_total{reason}, agentworld_bus_gaps_total,
// agentworld_bus_auth_failures_total, and the bus's share of agentworld_events_persisted_total{event_type}).
// Thread-safety: loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/bus/bus_codec.h"
#include "gateway/core/gateway_core.h"

namespace aw::gateway::bus {

class BusOutput {
 public:
  virtual ~BusOutput() = default;
  // Sends on the work PUSH socket without blocking; false when it would block (EAGAIN): the item stays pending.
  virtual bool push_work(aw::bus::Frame&& frame) = 0;
  // Publishes on the ctl PUB socket (welcome, grant, deny, cancel, commit-ack).
  virtual void publish_ctl(aw::bus::Frame&& frame) = 0;
  // A lifecycle status (processing, completed, failed, retrying) for the world's subscribers and the message's
  // originating connection.
  virtual void broadcast_status(StatusBroadcast&& status) = 0;
  // An event frame for the world's subscribers (chat filter applied); seq 0 for a transient chunk.
  virtual void broadcast_event(PersistedFrame&& frame) = 0;
};

struct BusCounters {
  std::int64_t dropped_invalid = 0;
  std::int64_t dropped_version = 0;
  std::int64_t dropped_stale = 0;
  std::int64_t dropped_late = 0;
  std::int64_t dropped_duplicate = 0;
  std::int64_t gaps = 0;
  std::int64_t auth_failures = 0;  // CURVE handshakes refused (ZAP handler, or libzmq before it: socket monitor)
  // Frames the bus wrote to the event log (processor events, trigger message events), by event type.
  std::map<std::string, std::int64_t> persisted_events;
};

}  // namespace aw::gateway::bus
