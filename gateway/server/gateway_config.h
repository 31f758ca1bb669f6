// GatewayConfig: every setting of aw-gateway, read once from the environment at start-up (ws-protocol.md §10).
// Each variable has its documented default; a bad value is a start-up error with one line naming the variable
// (main() prints it and exits with status 2), never a silent fallback.
// Thread-safety: load at start-up, then read-only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "gateway/core/gateway_core.h"
#include "gateway/session/gateway_service.h"

namespace aw::gateway {

struct GatewayConfig {
  // Listener (§1)
  std::string host;           // AW_HOST; "" = `::` dual-stack, falling back to 0.0.0.0
  std::uint16_t port = 3001;  // WS_PORT; 0 = the OS picks (reported in the "listening" log line and AW_PORT_FILE)
  std::string port_file;      // AW_PORT_FILE: where to write the bound port (tests); "" = none

  // Storage
  std::string data_path;  // AGENT_WORLD_DATA_PATH, absolute
  CoreOptions core;       // storage type, database path, defaults for create-agent, replay and queue caps

  // Liveness (§3.3)
  std::int64_t heartbeat_interval_ms = 25000;  // WS_HEARTBEAT_INTERVAL: control-ping period
  std::int64_t heartbeat_timeout_ms = 60000;   // WS_HEARTBEAT_TIMEOUT: silence before close 4009
  std::int64_t processor_heartbeat_ms = 5000;  // WS_PROCESSOR_HEARTBEAT (bus; lease = 3 periods)
  std::int64_t poll_interval_ms = 1000;        // WS_POLL_INTERVAL (bus safety sweep)

  // Limits (§3.4)
  std::int64_t max_frame_bytes = 1048576;      // AW_MAX_FRAME_BYTES: inbound frame cap (close 1009)
  std::int64_t max_outbound_bytes = 4194304;   // AW_MAX_OUTBOUND_BYTES: per-connection queue cap (close 4008)
  std::int64_t max_response_bytes = 16777216;  // AW_MAX_RESPONSE_BYTES: direct response cap (result_too_large)
  std::int64_t max_subscriptions = 128;        // AW_MAX_SUBSCRIPTIONS: per connection
  std::int64_t max_connections = 10000;        // AW_MAX_CONNECTIONS: 0 = unlimited (HTTP 503 beyond)
  std::int64_t rate_limit_rps = 50;            // AW_RATE_LIMIT_RPS: token refill per second (0 disables)
  std::int64_t rate_limit_burst = 100;         // AW_RATE_LIMIT_BURST: bucket size (0 disables)

  // Event log and queue (§6, §7)
  std::int64_t event_retention_days = 0;    // AW_EVENT_RETENTION_DAYS: 0 = keep everything
  std::int64_t queue_retry_base_ms = 2000;  // AW_QUEUE_RETRY_BASE_MS
  std::int64_t queue_retry_max_ms = 60000;  // AW_QUEUE_RETRY_MAX_MS
  std::int64_t queue_retention_days = 7;    // AW_QUEUE_RETENTION_DAYS
  std::int64_t run_timeout_ms = 600000;     // AW_RUN_TIMEOUT_MS
  std::int64_t history_window = 10;         // AW_HISTORY_WINDOW
  std::string chat_titles = "llm";          // AW_CHAT_TITLES: llm | derived | off
  std::int64_t title_timeout_ms = 30000;    // AW_TITLE_TIMEOUT_MS

  // Auth and origins (§3.1, §3.2)
  std::string auth_mode = "off";                            // AW_AUTH: off | required
  std::string auth_jwt_secret;                              // AW_AUTH_JWT_SECRET (never logged)
  std::string auth_issuer;                                  // AW_AUTH_ISSUER
  std::string auth_audience;                                // AW_AUTH_AUDIENCE
  std::int64_t auth_timeout_ms = 5000;                      // AW_AUTH_TIMEOUT_MS
  std::optional<std::vector<std::string>> allowed_origins;  // AW_ALLOWED_ORIGINS; nullopt = the default rule

  std::int64_t shutdown_grace_ms = 10000;  // AW_SHUTDOWN_GRACE_MS: flush time on shutdown

  // Things worth a warning at start-up (e.g. AGENT_WORLD_STORAGE_TYPE=file), logged once the logger exists.
  std::vector<std::string> warnings;
};

// Reads and validates every variable. Fails with code "invalid_config" and one line naming the variable.
Result<GatewayConfig> load_gateway_config();

// The WebSocket layer's settings (limits, heartbeats) out of the configuration.
ServiceOptions to_service_options(const GatewayConfig& config);

// The authenticator AW_AUTH selects: NoAuthAuthenticator (off) or JwtAuthenticator (required).
std::unique_ptr<Authenticator> make_authenticator(const GatewayConfig& config);

// Creates the data directory and the database's parent directory. Fails with a line naming the directory.
Status prepare_data_directory(const GatewayConfig& config);

}  // namespace aw::gateway
