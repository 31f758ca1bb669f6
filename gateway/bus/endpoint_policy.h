// The gateway's bus endpoints (bus-protocol.md §1, §12) and the security policy on them (§11): every endpoint binds
// loopback unless CURVE is on (AW_BUS_CURVE_SECRET_KEY, curve_auth.h) or AW_BUS_INSECURE=1 allows otherwise.
// Thread-safety: plain values; load_bus_endpoints() at start-up only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/bus/bus_endpoint.h"
#include "common/status.h"
#include "gateway/bus/curve_auth.h"

namespace aw::gateway::bus {

struct BusEndpoints {
  std::string work = "tcp://127.0.0.1:5555";    // AW_BUS_WORK (PUSH bind)
  std::string events = "tcp://127.0.0.1:5556";  // AW_BUS_EVENTS (SUB bind)
  std::string ctl = "tcp://127.0.0.1:5557";     // AW_BUS_CTL (PUB bind)
  std::string tap = "tcp://127.0.0.1:5558";     // AW_TAP_BIND (XPUB bind); empty = off
  std::string admin = "tcp://127.0.0.1:5559";   // AW_ADMIN_BIND (REP bind); empty = off
  bool insecure = false;                        // AW_BUS_INSECURE=1
  std::optional<CurveSettings> curve;           // set = CURVE server on every socket
  std::vector<std::string> warnings;            // to log at start (AW_BUS_INSECURE in use)
};

// The loopback rule of §11 lives in common/bus/bus_endpoint.h, shared with the processor.
using aw::bus::is_local_endpoint;

// Reads the endpoint and CURVE variables and applies the policy. Errors (exit status 2 at start-up) name the
// variable: code "insecure_endpoint" for a non-loopback endpoint with neither CURVE nor AW_BUS_INSECURE=1,
// "invalid_config" for a bad AW_BUS_INSECURE or a malformed CURVE setting (curve_settings_from_env()).
Result<BusEndpoints> load_bus_endpoints();

}  // namespace aw::gateway::bus
