// WsCounters: what the WebSocket layer counts for /metrics (ws-protocol.md §1): connections, closes by code,
// frames in by type, errors by code, replay volume, limit hits by limit and auth failures by reason (§3).
// Rendered by gateway/server/metrics_text.h.
// Thread-safety: loop thread only (plain integers, no atomics: the loop is the only writer and reader).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace aw::gateway {

struct WsCounters {
  std::int64_t connections = 0;                                        // gauge: open WebSocket connections
  std::int64_t subscriptions = 0;                                      // gauge: subscriptions over all connections
  std::map<int, std::int64_t> closes_by_code;                          // agentworld_ws_closes_total{code}
  std::map<std::string, std::int64_t, std::less<>> frames_in_by_type;  // agentworld_ws_frames_in_total{type}
  std::map<std::string, std::int64_t, std::less<>> errors_by_code;     // agentworld_ws_errors_total{code}
  std::int64_t replay_events = 0;                                      // agentworld_replay_events_total
  std::int64_t replay_unrecovered = 0;                                 // agentworld_replay_unrecovered_total
  std::map<std::string, std::int64_t, std::less<>> limit_hits;         // agentworld_limit_hits_total{limit}
  std::map<std::string, std::int64_t, std::less<>> auth_failures;      // agentworld_auth_failures_total{reason}

  void count_limit(std::string_view limit) { ++limit_hits[std::string(limit)]; }
  void count_auth_failure(std::string_view reason) { ++auth_failures[std::string(reason)]; }
};

// The `limit` labels of agentworld_limit_hits_total, one per limit of ws-protocol.md §3.1 and §3.4.
inline constexpr std::string_view kLimitOrigin = "origin";                      // upgrade refused, HTTP 403
inline constexpr std::string_view kLimitConnections = "connections";            // AW_MAX_CONNECTIONS, HTTP 503
inline constexpr std::string_view kLimitRate = "rate";                          // frame refused, rate_limited
inline constexpr std::string_view kLimitRateClose = "rate_close";               // close 4029
inline constexpr std::string_view kLimitFrameSize = "frame_size";               // AW_MAX_FRAME_BYTES, close 1009
inline constexpr std::string_view kLimitOutbound = "outbound";                  // AW_MAX_OUTBOUND_BYTES, close 4008
inline constexpr std::string_view kLimitResponseSize = "response_size";         // AW_MAX_RESPONSE_BYTES
inline constexpr std::string_view kLimitSubscriptions = "subscriptions";        // AW_MAX_SUBSCRIPTIONS
inline constexpr std::string_view kLimitPendingPerWorld = "pending_per_world";  // AW_QUEUE_MAX_PENDING_PER_WORLD

// `reason` labels of agentworld_auth_failures_total besides the token refusals of jwt_verifier.h.
inline constexpr std::string_view kAuthMissing = "missing";  // a frame other than auth/ping before authenticating
inline constexpr std::string_view kAuthTimeout = "timeout";  // no auth within AW_AUTH_TIMEOUT_MS

}  // namespace aw::gateway
