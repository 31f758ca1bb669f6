// The plain-HTTP side of the gateway's port (ws-protocol.md §1): GET /health, /readyz and /metrics; any other
// non-upgrade request is 404 {"error":"Not found"}. Socket-free: the websocketpp adapter passes the request line in
// and writes the answer out (adding Access-Control-Allow-Origin: *).
// Thread-safety: loop thread only (reads the service and the core).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "gateway/bus/bus_status.h"
#include "gateway/core/gateway_core.h"
#include "gateway/server/http_response.h"
#include "gateway/session/gateway_service.h"

namespace aw::gateway {

struct HttpContext {
  const GatewayService* service = nullptr;
  GatewayCore* core = nullptr;
  bool shutting_down = false;
  std::chrono::steady_clock::time_point started_at;
  const bus::BusStatusView* bus = nullptr;  // nullptr: no bus (0 processors)
};

// `resource` is the request target (path and optional query string).
HttpResponse handle_http_request(std::string_view method, std::string_view resource, const HttpContext& context);

}  // namespace aw::gateway
