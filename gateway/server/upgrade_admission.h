// Admission of a WebSocket upgrade (ws-protocol.md §1, §3.2), before any session exists: refused while shutting down
// (503 `Shutting down`), at AW_MAX_CONNECTIONS (503 `Too many connections`), for an Origin that AW_ALLOWED_ORIGINS
// does not allow (403 `Origin not allowed`) and, with AW_AUTH=required, for an `Authorization: Bearer` token the
// authenticator refuses (401 `Invalid token` / `Token expired`). A valid token's principal comes back for the
// session; without the header the connection may still authenticate with an `auth` frame. Every refusal is counted
// in the service's WsCounters (/metrics).
// Headers are looked up only when needed, each lookup being a case-insensitive map search in the parsed request:
// Host only for a request with an Origin, Authorization only when tokens are checked.
// Thread-safety: the loop thread (the counters).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "gateway/server/http_response.h"
#include "gateway/server/origin_policy.h"
#include "gateway/session/authenticator.h"
#include "gateway/session/ws_counters.h"

namespace aw::gateway {

struct UpgradeAdmissionContext {
  bool shutting_down = false;
  std::int64_t max_connections = 0;  // AW_MAX_CONNECTIONS; 0 = unlimited
  std::size_t connections = 0;       // open sessions now
  const OriginPolicy& origins;
  const Authenticator& authenticator;
  WsCounters& counters;
  EpochMs now = 0;
};

struct UpgradeAdmission {
  std::optional<HttpResponse> refusal;  // nullopt: admitted
  std::optional<Principal> principal;   // from a valid Bearer token (authenticated)
};

// `header(name)` returns the request's header value, "" when absent.
using HeaderLookup = std::function<const std::string&(const char* name)>;

UpgradeAdmission admit_upgrade(const HeaderLookup& header, const UpgradeAdmissionContext& context);

}  // namespace aw::gateway
