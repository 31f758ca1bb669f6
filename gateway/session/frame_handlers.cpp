// GatewayService: one handler per client frame type (ws-protocol.md §4). Connections, fan-out and timers are in
// gateway_service.cpp.
#include <variant>
#include <vector>

#include "common/ids.h"
#include "gateway/core/json_builder.h"
#include "gateway/protocol/command_catalog.h"
#include "gateway/session/gateway_service.h"
#include "gateway/session/jwt_verifier.h"

namespace aw::gateway {

using protocol::ClientFrame;
using protocol::ErrorInfo;
using protocol::FrameType;

ErrorInfo echo_of(const ClientFrame& frame, std::string code, std::string text) {
  ErrorInfo e;
  e.code = std::move(code);
  e.text = std::move(text);
  e.request_id = frame.request_id;
  if (const auto* f = std::get_if<protocol::SubscribeFrame>(&frame.body)) {
    e.world_id = f->raw_world_id;
    e.chat_id = f->raw_chat_id;
  } else if (const auto* u = std::get_if<protocol::UnsubscribeFrame>(&frame.body)) {
    e.world_id = u->raw_world_id;
    e.chat_id = u->raw_chat_id;
  } else if (const auto* m = std::get_if<protocol::MessageFrame>(&frame.body)) {
    e.world_id = m->raw_world_id;
    e.chat_id = m->raw_chat_id;
    e.message_id = m->request.message_id;
  } else if (const auto* c = std::get_if<protocol::CommandFrame>(&frame.body)) {
    e.command = c->command;
    e.world_id = c->raw_world_id ? c->raw_world_id : c->raw_params_world_id;
  }
  return e;
}

void GatewayService::handle_frame(Session& session, ClientFrame& frame) {
  switch (frame.type) {
    case FrameType::Ping:
      session.send(protocol::encode_pong(frame.request_id, now_ms()));
      return;
    case FrameType::Auth:
      handle_auth(session, frame);
      return;
    case FrameType::Subscribe:
      handle_subscribe(session, frame);
      return;
    case FrameType::Unsubscribe:
      handle_unsubscribe(session, frame);
      return;
    case FrameType::Message:
      handle_message(session, frame);
      return;
    case FrameType::Command:
      handle_command(session, frame);
      return;
  }
}

bool GatewayService::check_role(Session& session, const ClientFrame& frame, std::string_view what,
                                protocol::Role needed) {
  const std::string& role = session.principal().role;
  if (protocol::role_allows(role, needed)) return true;
  send_failure(session, echo_of(frame, "forbidden", "Role '" + role + "' may not use '" + std::string(what) + "'"));
  return false;
}

bool GatewayService::check_world(Session& session, const ClientFrame& frame, const std::string& world_id) {
  if (session.principal().may_access_world(world_id)) return true;
  send_failure(session, echo_of(frame, "forbidden", "Access to world '" + world_id + "' denied"));
  return false;
}

void GatewayService::handle_auth(Session& session, const ClientFrame& frame) {
  const auto& f = std::get<protocol::AuthFrame>(frame.body);
  if (!authenticator_.is_required()) {
    // AW_AUTH=off: whatever the token, the connection is an admin of every world (§3.2).
    session.principal() = authenticator_.anonymous();
    session.send(protocol::encode_authenticated(session.principal(), frame.request_id, now_ms()));
    return;
  }
  Result<Principal> principal = f.token ? authenticator_.authenticate(*f.token, now_ms())
                                        : Result<Principal>(Status::error("unauthorized", "Invalid token"));
  if (!principal.is_ok()) {
    counters_.count_auth_failure(f.token ? principal.status().code() : std::string(kTokenMalformed));
    send_failure(session, echo_of(frame, "unauthorized", principal.status().message()));
    // A refresh that fails leaves the current claims in place; a first auth that fails ends the connection.
    if (!session.principal().authenticated) session.close(kCloseUnauthorized, "unauthorized");
    return;
  }
  session.principal() = std::move(principal).value();
  session.principal().authenticated = true;
  session.send(protocol::encode_authenticated(session.principal(), frame.request_id, now_ms()));
  drop_forbidden_subscriptions(session);
}

void GatewayService::handle_subscribe(Session& session, const ClientFrame& frame) {
  const auto& f = std::get<protocol::SubscribeFrame>(frame.body);
  if (!check_role(session, frame, "subscribe", protocol::Role::Reader)) return;
  if (!check_world(session, frame, f.request.world_id)) return;
  const SubscriptionKey key{f.request.world_id, f.request.chat_id};
  const bool is_new = !session.has_subscription(key);
  if (is_new && session.subscriptions().size() >= options_.session.max_subscriptions) {
    counters_.count_limit(kLimitSubscriptions);
    send_failure(session, echo_of(frame, "limit_exceeded", "Too many subscriptions"));
    return;
  }

  // Snapshot and registration happen in this one loop turn, so no live frame can fall between them (§4.3).
  SubscribeSnapshot snapshot = core_.subscribe(f.request);
  const bool replay_requested = f.request.last_seq.has_value();
  std::optional<std::string> warning;
  if (!snapshot.world_exists) {
    warning = "World '" + f.raw_world_id + "' not found";
  } else if (f.request.chat_id && !snapshot.chat_exists) {
    warning = "Chat '" + *f.raw_chat_id + "' not found; receiving the whole world";
  }
  std::optional<std::string> filter_chat;
  if (snapshot.world_exists && snapshot.chat_exists) filter_chat = f.request.chat_id;
  session.put_subscription(Subscription{key, filter_chat});
  index_.add(key.world_id, &session);
  if (is_new) adjust_subscription_gauge(1);

  const bool recovered = replay_requested && snapshot.world_exists && snapshot.recovered;
  protocol::SubscribedAck ack;
  ack.world_id = f.raw_world_id;
  ack.chat_id = f.raw_chat_id;
  ack.request_id = frame.request_id;
  ack.latest_seq = snapshot.latest_seq;
  if (snapshot.world_exists) ack.epoch = snapshot.epoch;
  ack.recovered = recovered;
  ack.replay_count = replay_requested ? snapshot.replay.size() : 0;
  ack.warning = warning;
  session.send(protocol::encode_subscribed(ack, now_ms()));
  logger_.debug("subscribed", {{"conn", session.id()},
                               {"world", key.world_id},
                               {"chat", key.chat_id.value_or("*")},
                               {"replay", static_cast<std::uint64_t>(ack.replay_count)}});
  if (!replay_requested) return;

  ReplayJob job;
  job.key = key;
  job.filter_chat = filter_chat;
  job.frames = std::move(snapshot.replay);
  job.recovered = recovered;
  job.complete.world_id = f.raw_world_id;
  job.complete.chat_id = f.raw_chat_id;
  job.complete.request_id = frame.request_id;
  job.complete.latest_seq = snapshot.latest_seq;
  session.start_replay(std::move(job));
}

void GatewayService::handle_unsubscribe(Session& session, const ClientFrame& frame) {
  // Never refused for world scope (§3.2, §4.4).
  const auto& f = std::get<protocol::UnsubscribeFrame>(frame.body);
  std::size_t removed = 0;
  switch (f.scope) {
    case protocol::UnsubscribeFrame::Scope::All:
      removed = session.remove_all();
      index_.remove_session(&session);
      break;
    case protocol::UnsubscribeFrame::Scope::World:
      removed = session.remove_world(f.world_id);
      index_.sync(f.world_id, &session);
      break;
    case protocol::UnsubscribeFrame::Scope::Key:
      removed = session.remove_subscription(SubscriptionKey{f.world_id, f.chat_id});
      index_.sync(f.world_id, &session);
      break;
  }
  adjust_subscription_gauge(-static_cast<std::int64_t>(removed));
  session.send(
      protocol::encode_unsubscribed(f.raw_world_id, f.raw_chat_id, frame.request_id, removed, std::nullopt, now_ms()));
}

void GatewayService::handle_message(Session& session, const ClientFrame& frame) {
  const auto& f = std::get<protocol::MessageFrame>(frame.body);
  if (!check_role(session, frame, "message", protocol::Role::Writer)) return;
  if (!check_world(session, frame, f.request.world_id)) return;
  const EnqueueResult result = core_.enqueue(f.request);
  if (!result.status.is_ok()) {
    // A storage failure keeps the compat text; the cause is logged where it happened (the core).
    const bool internal = result.status.code() == "internal";
    if (result.status.code() == "limit_exceeded") counters_.count_limit(kLimitPendingPerWorld);
    send_failure(session, echo_of(frame, result.status.code(),
                                  internal ? std::string("Failed to queue message") : result.status.message()));
    return;
  }
  if (!result.duplicate || result.state == "pending" || result.state == "processing") {
    origins_.record(f.request.world_id, f.request.message_id, session.id());
  }
  std::string warning;
  if (f.request.chat_id && !result.chat_found) {
    warning = "Chat '" + *f.raw_chat_id + "' not found; the current chat will be used";
  }
  if (f.priority_invalid) warning += (warning.empty() ? "" : "; ") + std::string("priority must be an integer; 0 used");
  protocol::QueuedAck ack;
  ack.world_id = f.raw_world_id;
  ack.message_id = f.request.message_id;
  ack.chat_id = f.raw_chat_id;
  ack.request_id = frame.request_id;
  ack.duplicate = result.duplicate;
  ack.state = result.state;
  if (!warning.empty()) ack.warning = std::move(warning);
  if (result.durable_at == 0) {
    session.send(protocol::encode_queued(ack, now_ms()));
  } else {
    // The ack leaves once the enqueue is durable (on_durable); its stand-in if that sync fails.
    session.send_when_durable(
        result.durable_at, protocol::encode_queued(ack, now_ms()),
        protocol::encode_failure(echo_of(frame, "internal", "Failed to queue message"), now_ms()));
    awaiting_durability_.insert(session.id());
  }
  logger_.debug("message queued",
                {{"conn", session.id()}, {"world", f.request.world_id}, {"message", f.request.message_id}});
}

void GatewayService::handle_command(Session& session, const ClientFrame& frame) {
  const auto& f = std::get<protocol::CommandFrame>(frame.body);
  const protocol::CommandSpec* spec = protocol::find_command(f.command);
  if (spec == nullptr) {  // decode_client_frame only lets known commands through
    send_failure(session, echo_of(frame, "unknown_command", "Unknown command: " + f.command));
    return;
  }
  const std::string_view command = f.command;  // compared as a view: no strlen per comparison
  if (command == "whoami") {
    answer_whoami(session, frame);
    return;
  }
  if (!check_role(session, frame, f.command, spec->min_role)) return;
  if (command == "create-world") {
    // The world that will exist is the scope to check (§3.2); a name without a valid id fails in the core.
    if (auto name = json::get_string(*f.params, "name")) {
      const std::string id = kebab_case(*name);
      if (!id.empty() && !check_world(session, frame, id)) return;
    }
  } else if (f.world_id && !check_world(session, frame, *f.world_id)) {
    return;
  }

  CommandResult result = core_.run_command(f.command, *f.params, f.world_id, session.principal());
  if (!result.status.is_ok()) {
    send_failure(session, echo_of(frame, result.status.code(), result.status.message()));
    return;
  }
  std::string encoded = protocol::encode_command_success(f.command, result.message, result.data_json, f.raw_world_id,
                                                         frame.request_id, now_ms());
  if (encoded.size() > options_.max_response_bytes) {
    counters_.count_limit(kLimitResponseSize);
    send_failure(session, echo_of(frame, "result_too_large",
                                  "Result exceeds " + std::to_string(options_.max_response_bytes) + " bytes"));
  } else {
    session.send(std::move(encoded));
  }
  // The command has taken effect whatever happened to its answer: its crud frames and statuses still go out.
  apply_command_result(session, f.command, result);
}

void GatewayService::apply_command_result(Session& session, const std::string& command, CommandResult& result) {
  for (const PersistedFrame& frame : result.broadcasts) deliver_persisted(frame);
  for (const std::string& world_id : result.deleted_worlds) remove_world_subscriptions(world_id, "world-deleted");
  if (std::string_view(command) == "retry-failed") {
    // The connection that requeued a message follows its lifecycle like the one that enqueued it (§5.1).
    for (const StatusBroadcast& status : result.statuses) {
      if (status.message_id) origins_.record(status.world_id, *status.message_id, session.id());
    }
  }
  for (const StatusBroadcast& status : result.statuses) deliver_status(status);
}

void GatewayService::answer_whoami(Session& session, const ClientFrame& frame) {
  const auto& f = std::get<protocol::CommandFrame>(frame.body);
  const Principal& p = session.principal();
  JsonBuilder data;
  data.begin_object().field("authenticated", p.authenticated).field("authMode", authenticator_.mode());
  if (!p.subject.empty()) data.field("subject", p.subject);
  data.field("role", p.role).key("worlds").begin_array();
  for (const std::string& world : p.worlds) data.value(world);
  data.end_array();
  if (p.expires_at) data.field("expiresAt", iso8601_ms(*p.expires_at));
  data.field("connectionId", session.connection_id()).key("subscriptions").begin_array();
  for (const auto& [key, sub] : session.subscriptions()) {
    data.begin_object().field("worldId", key.world_id).key("chatId");
    if (key.chat_id) {
      data.value(*key.chat_id);
    } else {
      data.null();  // null inside a payload, as the spec allows for chatId (§0)
    }
    data.end_object();
  }
  data.end_array().end_object();
  const std::string message =
      authenticator_.is_required() ? "Authenticated as '" + p.subject + "'" : std::string("Authentication disabled");
  session.send(
      protocol::encode_command_success(f.command, message, data.str(), f.raw_world_id, frame.request_id, now_ms()));
}

}  // namespace aw::gateway
