// GatewayService: connections, fan-out and timers (see gateway_service.h). The per-frame handlers are in
// frame_handlers.cpp.
#include "gateway/session/gateway_service.h"

#include <exception>
#include <variant>
#include <vector>

#include "common/json.h"

namespace aw::gateway {
namespace {

// True for the statuses that end a message's life (§5.1): after them no lifecycle frame follows.
bool is_terminal_status(const std::string& frame_json) {
  auto doc = json::parse_trusted(frame_json);
  if (!doc.is_ok()) return false;
  const json::Value* payload = json::find(*doc, "payload");
  if (payload == nullptr) return false;
  auto status = json::get_string(*payload, "status");
  return status && (*status == "completed" || *status == "failed");
}

}  // namespace

GatewayService::GatewayService(GatewayCore& core, const Authenticator& authenticator, ServiceOptions options,
                               Logger logger)
    : core_(core), authenticator_(authenticator), options_(options), logger_(std::move(logger)) {}

GatewayService::~GatewayService() = default;

Session* GatewayService::find_session(SessionId id) {
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.get();
}

// --- Connection events -------------------------------------------------------------------------------------------

SessionId GatewayService::open_session(std::shared_ptr<Transport> transport, SteadyTime now,
                                       std::optional<Principal> principal) {
  const SessionId id = next_id_++;
  auto session =
      std::make_unique<Session>(id, std::move(transport), options_.session,
                                principal ? std::move(*principal) : authenticator_.anonymous(), now, &counters_);
  sessions_.emplace(id, std::move(session));
  counters_.connections = static_cast<std::int64_t>(sessions_.size());
  logger_.debug("connection opened", {{"conn", id}});
  return id;
}

void GatewayService::on_closed(SessionId id, int code) {
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  // A close we started counts under our code even when the peer never answered (the socket reports 1006 then).
  const int counted_code = it->second->close_code() != 0 ? it->second->close_code() : code;
  adjust_subscription_gauge(-static_cast<std::int64_t>(it->second->subscriptions().size()));
  index_.remove_session(it->second.get());
  origins_.forget_session(id);
  replaying_.erase(id);
  awaiting_durability_.erase(id);
  sessions_.erase(it);
  counters_.connections = static_cast<std::int64_t>(sessions_.size());
  ++counters_.closes_by_code[counted_code];
  // Limits that end a connection are counted by the close they caused (1009 is sent by the connection itself).
  if (counted_code == 1009) counters_.count_limit(kLimitFrameSize);
  if (counted_code == kCloseSlowConsumer) counters_.count_limit(kLimitOutbound);
  if (counted_code == kCloseRateLimited) counters_.count_limit(kLimitRateClose);
  logger_.debug("connection closed", {{"conn", id}, {"code", counted_code}});
}

void GatewayService::on_control_frame(SessionId id, SteadyTime now) {
  if (Session* session = find_session(id)) session->touch(now);
}

void GatewayService::on_text(SessionId id, std::string_view text, SteadyTime now) {
  Session* found = find_session(id);
  if (found == nullptr || found->is_closing()) return;
  Session& session = *found;
  session.touch(now);

  protocol::DecodeResult decoded = protocol::decode_client_frame(text);
  auto* frame = std::get_if<protocol::ClientFrame>(&decoded);
  const auto* error = std::get_if<protocol::FrameError>(&decoded);
  const std::optional<protocol::FrameType> type = frame != nullptr ? std::optional(frame->type) : error->type;
  const std::string_view type_name = type ? protocol::frame_type_name(*type) : std::string_view("invalid");
  // Looked up by view: a std::string key is made once per type, not once per frame.
  auto counted = counters_.frames_in_by_type.find(type_name);
  if (counted == counters_.frames_in_by_type.end()) {
    counted = counters_.frames_in_by_type.emplace(std::string(type_name), 0).first;
  }
  ++counted->second;
  if (logger_.enabled(LogLevel::Trace)) {  // its fields format numbers: not on every frame for nothing
    logger_.trace("frame", {{"conn", id}, {"type", type_name}, {"bytes", static_cast<std::uint64_t>(text.size())}});
  }

  // Every frame but a ping costs a token, a malformed one too: a flood of garbage is still a flood (§3.4).
  const bool is_free = frame != nullptr && frame->type == protocol::FrameType::Ping;
  if (!is_free) {
    const RateLimiter::Decision decision = session.rate_limiter().take(now);
    if (!decision.allowed) {
      counters_.count_limit(kLimitRate);
      protocol::ErrorInfo e =
          frame != nullptr ? echo_of(*frame, "rate_limited", "Rate limit exceeded") : protocol::error_info(*error);
      e.code = "rate_limited";
      e.text = "Rate limit exceeded";
      e.details = std::to_string(decision.retry_after_ms);
      send_failure(session, e);
      if (decision.close) {
        logger_.warn("rate limit exceeded repeatedly, closing", {{"conn", id}});
        session.close(kCloseRateLimited, "rate limit exceeded");
      }
      return;
    }
  }

  const bool is_auth_or_ping =
      frame != nullptr && (frame->type == protocol::FrameType::Auth || frame->type == protocol::FrameType::Ping);
  if (authenticator_.is_required() && !session.principal().authenticated && !is_auth_or_ping) {
    protocol::ErrorInfo e =
        frame != nullptr ? echo_of(*frame, "unauthorized", "Authentication required") : protocol::error_info(*error);
    e.code = "unauthorized";
    e.text = "Authentication required";
    counters_.count_auth_failure(kAuthMissing);
    send_failure(session, e);
    session.close(kCloseUnauthorized, "unauthorized");
    return;
  }

  if (error != nullptr) {
    send_failure(session, protocol::error_info(*error));
    return;
  }
  try {
    handle_frame(session, *frame);
  } catch (const std::exception& ex) {
    logger_.error("frame handler failed", {{"conn", id}, {"type", type_name}, {"error", ex.what()}});
    send_failure(session, echo_of(*frame, "internal", "Internal error"));
  }
  if (session.is_replaying()) replaying_.insert(id);
}

// --- Fan-out -------------------------------------------------------------------------------------------------------

void GatewayService::deliver_persisted(const PersistedFrame& frame) { index_.deliver_persisted(frame); }

void GatewayService::deliver_status(const StatusBroadcast& status) {
  Session* origin = nullptr;
  if (status.message_id) {
    if (auto id = origins_.find(status.world_id, *status.message_id)) origin = find_session(*id);
  }
  index_.deliver_status(status, origin);
  if (status.message_id && is_terminal_status(*status.json)) origins_.forget(status.world_id, *status.message_id);
}

void GatewayService::remove_world_subscriptions(const std::string& world_id, const std::string& reason) {
  // Copy: the index entry changes while we walk the sessions.
  const std::vector<Session*> sessions(index_.sessions_of(world_id).begin(), index_.sessions_of(world_id).end());
  const std::optional<std::string> world = world_id;
  for (Session* session : sessions) {
    const std::size_t removed = session->remove_world(world_id);
    index_.sync(world_id, session);
    adjust_subscription_gauge(-static_cast<std::int64_t>(removed));
    session->send(protocol::encode_unsubscribed(world, std::nullopt, protocol::RequestId{}, removed, reason, now_ms()));
  }
}

void GatewayService::drop_forbidden_subscriptions(Session& session) {
  std::vector<std::string> worlds;
  for (const auto& [key, sub] : session.subscriptions()) {
    if ((worlds.empty() || worlds.back() != key.world_id) && !session.principal().may_access_world(key.world_id)) {
      worlds.push_back(key.world_id);
    }
  }
  for (const std::string& world_id : worlds) {
    const std::size_t removed = session.remove_world(world_id);
    index_.sync(world_id, &session);
    adjust_subscription_gauge(-static_cast<std::int64_t>(removed));
    session.send(protocol::encode_unsubscribed(world_id, std::nullopt, protocol::RequestId{}, removed,
                                               std::string("forbidden"), now_ms()));
  }
}

// --- Timers --------------------------------------------------------------------------------------------------------

void GatewayService::on_heartbeat_tick(SteadyTime now, EpochMs wall_now) {
  for (auto& [id, session] : sessions_) {
    if (session->is_closing()) continue;
    if (now - session->last_inbound() > options_.heartbeat_timeout) {
      logger_.info("heartbeat timeout, closing", {{"conn", id}});
      session->close(kCloseHeartbeatTimeout, "heartbeat timeout");
      continue;
    }
    const Principal& principal = session->principal();
    if (authenticator_.is_required()) {
      if (!principal.authenticated && now - session->opened_at() > options_.auth_timeout) {
        counters_.count_auth_failure(kAuthTimeout);
        session->close(kCloseUnauthorized, "authentication timeout");
        continue;
      }
      if (principal.authenticated && principal.expires_at && *principal.expires_at <= wall_now) {
        session->close(kCloseTokenExpired, "token expired");
        continue;
      }
    }
    if (now - session->last_ping() >= options_.heartbeat_interval) session->ping(now);
  }
}

void GatewayService::pump_replays() {
  for (auto it = replaying_.begin(); it != replaying_.end();) {
    Session* session = find_session(*it);
    if (session != nullptr) session->pump_replay();
    if (session == nullptr || !session->is_replaying()) {
      it = replaying_.erase(it);
    } else {
      ++it;
    }
  }
}

bool GatewayService::has_pending_replays() const { return !replaying_.empty(); }

void GatewayService::close_all(int code, const std::string& reason, long handshake_timeout_ms) {
  for (auto& [id, session] : sessions_) session->close(code, reason, handshake_timeout_ms);
}

// --- Errors --------------------------------------------------------------------------------------------------------

void GatewayService::on_durable(DurabilityTicket synced, bool ok) {
  for (auto it = awaiting_durability_.begin(); it != awaiting_durability_.end();) {
    Session* session = find_session(*it);
    const Session::DurableRelease release =
        session != nullptr ? session->release_durable(synced, ok) : Session::DurableRelease{};
    if (release.failed_acks > 0) counters_.errors_by_code["internal"] += static_cast<std::int64_t>(release.failed_acks);
    it = release.still_waiting ? std::next(it) : awaiting_durability_.erase(it);
  }
}

void GatewayService::send_failure(Session& session, const protocol::ErrorInfo& error) {
  ++counters_.errors_by_code[error.code];
  logger_.debug("error answered", {{"conn", session.id()}, {"code", error.code}});
  for (std::string& text : protocol::encode_failure(error, now_ms())) {
    if (!session.send(std::move(text))) break;
  }
}

}  // namespace aw::gateway
