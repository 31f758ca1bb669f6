// WsServer: the gateway's one listening port (ws-protocol.md §1, §3): WebSocket upgrades on any path, plain HTTP
// /health, /readyz and /metrics, Origin and connection-count checks at the upgrade, control-ping heartbeats,
// replay pacing, and the shutdown sequence on SIGTERM/SIGINT. It joins its connections (ws_connection.h: websocketpp's
// HTTP parser and frame processor on our own sockets) to GatewayService, which holds the protocol logic; websocketpp
// is confined to ws_server.cpp and ws_connection.cpp (its headers are heavy), the header checks are in
// upgrade_headers.h.
//
// Port discovery (tests and tools rely on it): WS_PORT=0 lets the OS pick; after listening the server logs an info
// line "listening" with field "port" and, when AW_PORT_FILE is set, writes the port as decimal digits and "\n" to
// that file atomically (<file>.tmp, then rename).
//
// Thread-safety: one thread runs run(); everything (connections, sessions, core calls) happens on it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "common/log.h"
#include "common/status.h"
#include "gateway/bus/bus_status.h"
#include "gateway/core/gateway_core.h"
#include "gateway/server/gateway_config.h"
#include "gateway/session/authenticator.h"
#include "gateway/session/gateway_service.h"

namespace aw::gateway {

class WsServer {
 public:
  // `core` and `authenticator` outlive the server.
  WsServer(const GatewayConfig& config, GatewayCore& core, const Authenticator& authenticator, Logger logger);
  ~WsServer();
  WsServer(const WsServer&) = delete;
  WsServer& operator=(const WsServer&) = delete;

  // Binds AW_HOST:WS_PORT (unset host: `::` dual-stack, else 0.0.0.0), starts accepting, reports the port.
  // Fails with code "listen_failed" and a line naming the address.
  Status listen();
  // The bound port. Requires: listen() succeeded.
  std::uint16_t port() const;
  // Runs the loop until a signal has shut the server down. Returns the process exit code (0).
  int run();

  // For the bus wiring: the WebSocket layer to fan persisted events and lifecycle statuses out through (loop thread
  // only), and a way for another thread to run work on the loop. post() is safe from any thread.
  GatewayService& service();
  void post(std::function<void()> task);
  // For /health, /readyz and /metrics: the bus's processors and counters. Set before run(); outlives the server.
  void set_bus_status(const bus::BusStatusView* status);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aw::gateway
