// GatewayService: the WebSocket layer's logic without the socket. It owns the sessions, the subscription index and
// the message origins; it decodes each client frame, applies limits, role and world-scope checks, calls the core,
// answers, and fans out what the core returns (ws-protocol.md §3–§5). The listener
// (gateway/server/ws_server.cpp) feeds it connection events and timer ticks; the bus intake (later) feeds it
// persisted events and lifecycle statuses through deliver_persisted() / deliver_status().
//
// Order: frames of one connection are handled in arrival order and their direct responses are sent in that order;
// a subscribe's replay drains after the ack while later frames are handled (§1).
// Errors: bad input gets an error frame and the connection stays open (§2); an unexpected exception inside a frame
// handler becomes error `internal` ("Internal error"); the adapter's own catch closes the connection with 4011.
//
// Thread-safety: loop thread only.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/log.h"
#include "gateway/core/gateway_core.h"
#include "gateway/protocol/client_frame.h"
#include "gateway/protocol/command_catalog.h"
#include "gateway/protocol/server_frames.h"
#include "gateway/session/authenticator.h"
#include "gateway/session/message_origins.h"
#include "gateway/session/session.h"
#include "gateway/session/subscription_index.h"
#include "gateway/session/transport.h"
#include "gateway/session/ws_counters.h"

namespace aw::gateway {

struct ServiceOptions {
  SessionLimits session;
  std::size_t max_response_bytes = 16777216;            // AW_MAX_RESPONSE_BYTES
  std::chrono::milliseconds heartbeat_interval{25000};  // WS_HEARTBEAT_INTERVAL: control-ping period
  std::chrono::milliseconds heartbeat_timeout{60000};   // WS_HEARTBEAT_TIMEOUT: silence before close 4009
  std::chrono::milliseconds auth_timeout{5000};         // AW_AUTH_TIMEOUT_MS (AW_AUTH=required only)
};

class GatewayService {
 public:
  // `core` and `authenticator` outlive the service.
  GatewayService(GatewayCore& core, const Authenticator& authenticator, ServiceOptions options, Logger logger);
  GatewayService(const GatewayService&) = delete;
  GatewayService& operator=(const GatewayService&) = delete;
  ~GatewayService();

  // --- Connection events (from the adapter) ------------------------------------------------------------------------
  // Registers a new connection. `principal`: from an Authorization header validated at the upgrade, else the
  // authenticator's anonymous principal.
  SessionId open_session(std::shared_ptr<Transport> transport, SteadyTime now,
                         std::optional<Principal> principal = std::nullopt);
  // The connection ended (close handshake done or TCP dropped) with `code`; forgets everything about it.
  void on_closed(SessionId id, int code);
  // One inbound data frame (text, or binary decoded as text).
  void on_text(SessionId id, std::string_view text, SteadyTime now);
  // An inbound control frame (ping or pong): refreshes liveness only.
  void on_control_frame(SessionId id, SteadyTime now);

  // --- Fan-out -------------------------------------------------------------------------------------------------------
  void deliver_persisted(const PersistedFrame& frame);
  void deliver_status(const StatusBroadcast& status);

  // --- Durable acks -------------------------------------------------------------------------------------------------
  // The database is durable up to `synced` (GatewayCore::watch_durability; `ok` false: that sync failed): sends the
  // `queued` acks that waited for it (`Failed to queue message` instead when it failed) and what waited behind them.
  void on_durable(DurabilityTicket synced, bool ok);

  // --- Timers -------------------------------------------------------------------------------------------------------
  // Control pings every heartbeat_interval, close 4009 after heartbeat_timeout of silence, and with AW_AUTH=required
  // close 4001 when no `auth` came in time and 4002 when the token expired.
  void on_heartbeat_tick(SteadyTime now, EpochMs wall_now);
  // Continues replays that were waiting for their sockets to drain.
  void pump_replays();
  bool has_pending_replays() const;

  // --- Shutdown -----------------------------------------------------------------------------------------------------
  // Starts closing every connection with `code` after what is queued (the close frame goes behind it); a peer gets
  // `handshake_timeout_ms` to answer before its TCP connection is dropped.
  void close_all(int code, const std::string& reason, long handshake_timeout_ms);

  // --- Introspection -------------------------------------------------------------------------------------------------
  std::size_t connection_count() const { return sessions_.size(); }
  std::size_t subscribed_world_count() const { return index_.world_count(); }
  const WsCounters& counters() const { return counters_; }
  // For the adapter's upgrade-time refusals (origin, connection cap, Bearer token), which happen before a session.
  WsCounters& counters() { return counters_; }
  Session* find_session(SessionId id);
  const MessageOrigins& origins_for_test() const { return origins_; }
  std::size_t awaiting_durability_for_test() const { return awaiting_durability_.size(); }

 private:
  void handle_frame(Session& session, protocol::ClientFrame& frame);
  void handle_auth(Session& session, const protocol::ClientFrame& frame);
  void handle_subscribe(Session& session, const protocol::ClientFrame& frame);
  void handle_unsubscribe(Session& session, const protocol::ClientFrame& frame);
  void handle_message(Session& session, const protocol::ClientFrame& frame);
  void handle_command(Session& session, const protocol::ClientFrame& frame);
  void answer_whoami(Session& session, const protocol::ClientFrame& frame);
  void apply_command_result(Session& session, const std::string& command, CommandResult& result);

  // Sends the error frame (and for a command the status error frame, §4.6) and counts it.
  void send_failure(Session& session, const protocol::ErrorInfo& error);
  // Role and world-scope checks (§3.2); false after answering `forbidden`.
  bool check_role(Session& session, const protocol::ClientFrame& frame, std::string_view what, protocol::Role needed);
  bool check_world(Session& session, const protocol::ClientFrame& frame, const std::string& world_id);
  // Removes subscriptions of worlds the principal may no longer access (token refresh), with notices.
  void drop_forbidden_subscriptions(Session& session);
  void remove_world_subscriptions(const std::string& world_id, const std::string& reason);
  void adjust_subscription_gauge(std::int64_t delta) { counters_.subscriptions += delta; }

  GatewayCore& core_;
  const Authenticator& authenticator_;
  const ServiceOptions options_;
  const Logger logger_;
  SessionId next_id_ = 1;
  std::unordered_map<SessionId, std::unique_ptr<Session>> sessions_;
  SubscriptionIndex index_;
  MessageOrigins origins_;
  std::set<SessionId> replaying_;            // sessions with a replay waiting for their socket to drain
  std::set<SessionId> awaiting_durability_;  // sessions with a `queued` ack waiting for its sync
  WsCounters counters_;
};

// The echo fields (requestId, command, worldId, chatId, messageId) of a decoded frame, for its error answers.
protocol::ErrorInfo echo_of(const protocol::ClientFrame& frame, std::string code, std::string text);

}  // namespace aw::gateway
