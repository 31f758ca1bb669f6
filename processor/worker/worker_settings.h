// WorkerSettings: the bus worker's settings from the environment (bus-protocol.md §1, §11, §12; agent-runtime.md
// §13): the three endpoints it connects to, the loopback rule, CURVE keys, its slots and its shutdown grace.
// A bad value is a Status with code "config" whose message names the variable; main exits 2 on it.
// Thread-safety: pure functions; read the environment at start-up, before threads start.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/bus/bus_endpoint.h"
#include "common/bus/curve_keys.h"
#include "common/status.h"

namespace aw::processor::worker {

inline constexpr const char* kDefaultWorkEndpoint = "tcp://127.0.0.1:5555";
inline constexpr const char* kDefaultEventsEndpoint = "tcp://127.0.0.1:5556";
inline constexpr const char* kDefaultCtlEndpoint = "tcp://127.0.0.1:5557";
inline constexpr std::int64_t kDefaultMaxConcurrent = 5;
inline constexpr std::int64_t kDefaultShutdownGraceMs = 10000;

struct WorkerSettings {
  std::string work_endpoint = kDefaultWorkEndpoint;          // AW_BUS_WORK (PULL connect)
  std::string events_endpoint = kDefaultEventsEndpoint;      // AW_BUS_EVENTS (PUB connect)
  std::string ctl_endpoint = kDefaultCtlEndpoint;            // AW_BUS_CTL (SUB connect)
  bool insecure = false;                                     // AW_BUS_INSECURE=1
  std::optional<aw::bus::CurveClientKeys> curve;             // AW_BUS_CURVE_SECRET_KEY + _SERVER_KEY: CURVE on
  std::int64_t max_concurrent = kDefaultMaxConcurrent;       // WS_MAX_CONCURRENT: slots
  std::int64_t shutdown_grace_ms = kDefaultShutdownGraceMs;  // AW_SHUTDOWN_GRACE_MS
};

// The loopback rule of §11 lives in common/bus/bus_endpoint.h, shared with the gateway.
using aw::bus::is_local_endpoint;

// Reads the settings. Fails (code "config") when a value is malformed (a CURVE key included), when only one of
// AW_BUS_CURVE_SECRET_KEY / AW_BUS_CURVE_SERVER_KEY is set, or when an endpoint is not local and neither CURVE nor
// AW_BUS_INSECURE=1 is set (the message names the variable).
Result<WorkerSettings> worker_settings_from_env();

}  // namespace aw::processor::worker
