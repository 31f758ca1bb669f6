// WsCounters: what the WebSocket layer counts for /metrics (ws-protocol.md §1): connections, closes by code,
// frames in by type, errors by code, replay volume. Rendered by gateway/server/metrics_text.h.
// Thread-safety: loop thread only (plain integers, no atomics: the loop is the only writer and reader).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace aw::gateway {

struct WsCounters {
  std::int64_t connections = 0;                                        // gauge: open WebSocket connections
  std::int64_t subscriptions = 0;                                      // gauge: subscriptions over all connections
  std::map<int, std::int64_t> closes_by_code;                          // agentworld_ws_closes_total{code}
  std::map<std::string, std::int64_t, std::less<>> frames_in_by_type;  // agentworld_ws_frames_in_total{type}
  std::map<std::string, std::int64_t, std::less<>> errors_by_code;     // agentworld_ws_errors_total{code}
  std::int64_t replay_events = 0;                                      // agentworld_replay_events_total
  std::int64_t replay_unrecovered = 0;                                 // agentworld_replay_unrecovered_total
};

}  // namespace aw::gateway
