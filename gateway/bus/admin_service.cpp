// Admin requests (see admin_service.h).
#include "gateway/bus/admin_service.h"

#include <set>
#include <tuple>

#include "common/bus/bus_messages.h"
#include "common/json.h"
#include "gateway/core/json_builder.h"

namespace aw::gateway::bus {
namespace {

std::string reply(const std::string& op, bool ok, const std::string& data_json, const std::string& error) {
  JsonBuilder b;
  b.begin_object().field("v", aw::bus::kProtocolVersion).field("kind", "admin-result");
  if (op.empty()) {
    b.key("op").raw("null");
  } else {
    b.field("op", op);
  }
  b.field("ok", ok);
  if (ok) {
    b.key("data").raw(data_json);
  } else {
    b.field("error", error);
  }
  b.end_object();
  return b.take();
}

std::string processors_json(AdminContext& ctx) {
  const EpochMs now = ctx.clock.now_ms();
  JsonBuilder b;
  b.begin_array();
  for (const auto& [id, p] : ctx.processors.all()) {
    b.begin_object().field("id", id).field("connected", ctx.processors.is_connected(id));
    b.field("freeSlots", p.free_slots).field("lastHeartbeatAgeMs", now - p.last_seen_ms);
    // The runs of its latest hb, then the leases granted to it since (a grant shows at once, not at the next hb).
    std::set<std::tuple<std::string, std::string, std::int64_t>> listed;
    b.key("runs").begin_array();
    auto add_run = [&](const std::string& world_id, const std::string& run_id, std::int64_t attempt) {
      if (!listed.emplace(world_id, run_id, attempt).second) return;
      b.begin_object().field("worldId", world_id).field("runId", run_id).field("attempt", attempt).end_object();
    };
    for (const auto& run : p.runs) add_run(run.world_id, run.run_id, run.attempt);
    for (const auto& [key, lease] : ctx.leases.all()) {
      if (lease.owner == id) add_run(lease.world_id, lease.run_id, lease.attempt);
    }
    b.end_array().end_object();
  }
  b.end_array();
  return b.take();
}

std::string health_json(AdminContext& ctx) {
  JsonBuilder b;
  b.begin_object().field("status", ctx.core.is_ready() ? "ok" : "not-ready");
  b.field("gatewayId", ctx.processors.gateway_id()).field("processors", ctx.processors.connected_count());
  b.field("dispatched", static_cast<std::int64_t>(ctx.dispatched));
  b.field("leases", static_cast<std::int64_t>(ctx.leases.size()));
  b.key("queue").begin_object();
  for (const auto& [state, count] : ctx.core.queue_counts()) b.field(state, count);
  b.end_object().end_object();
  return b.take();
}

void audit(const AdminContext& ctx, const std::string& op, const std::optional<std::string>& world_id,
           const std::optional<std::string>& message_id, bool ok) {
  if (ctx.logger == nullptr) return;
  ctx.logger->info("admin mutation", {{"op", op},
                                      {"world", world_id.value_or("*")},
                                      {"messageId", message_id.value_or("")},
                                      {"key", ctx.caller_key},
                                      {"ok", ok}});
}

// "Message '<id>' is not in failed state" when an item of that id exists in some world, else "... not found".
std::string not_failed_error(AdminContext& ctx, const std::string& message_id) {
  auto any = ctx.storage->queue().worlds_with(message_id, std::nullopt);
  if (any && any->empty()) return "Message '" + message_id + "' not found";
  return "Message '" + message_id + "' is not in failed state";
}

// Runs the WebSocket command `op` in `world` as the operator (admin of every world), audited. The command's data
// (null when unparsable), or its error prefixed with the world.
Result<json::Document> mutate_as_operator(const std::string& op, const json::Value& params, const std::string& world,
                                          const std::optional<std::string>& message_id, AdminContext& ctx) {
  static const Principal kOperator;
  CommandResult r = ctx.mutate(op, params, world, kOperator);
  audit(ctx, op, world, message_id, r.status.is_ok());
  if (!r.status) return Status::error(r.status.code(), "world '" + world + "': " + r.status.message());
  auto data = json::parse_trusted(r.data_json);
  if (!data) return json::Document();
  return data;
}

// retry-failed over all worlds: the WebSocket command world by world; data {requeued:[{worldId, messageId}]}.
std::string retry_everywhere(const std::string& op, const json::Value& params,
                             const std::optional<std::string>& message_id, AdminContext& ctx) {
  auto worlds = ctx.storage->queue().worlds_with(message_id, std::string("failed"));
  if (!worlds) return reply(op, false, "", worlds.status().message());
  if (message_id && worlds->empty()) return reply(op, false, "", not_failed_error(ctx, *message_id));
  JsonBuilder b;
  b.begin_object().key("requeued").begin_array();
  for (const std::string& world : worlds.value()) {
    auto data = mutate_as_operator(op, params, world, message_id, ctx);
    if (!data) return reply(op, false, "", data.status().message());
    const json::Value* ids = data->IsObject() ? json::find(*data, "requeued") : nullptr;
    if (ids == nullptr || !ids->IsArray()) continue;
    for (const auto& id : ids->GetArray()) {
      if (!id.IsString()) continue;
      b.begin_object().field("worldId", world).field("messageId", std::string(id.GetString())).end_object();
    }
  }
  b.end_array().end_object();
  return reply(op, true, b.take(), "");
}

// cancel-message of a messageId in every world that holds it: data {messageId, cancelled (any),
// worlds:[{worldId, cancelled, state}]}.
std::string cancel_everywhere(const std::string& op, const json::Value& params, const std::string& message_id,
                              AdminContext& ctx) {
  auto worlds = ctx.storage->queue().worlds_with(message_id, std::nullopt);
  if (!worlds) return reply(op, false, "", worlds.status().message());
  if (worlds->empty()) return reply(op, false, "", "Message '" + message_id + "' not found");
  bool any = false;
  JsonBuilder rows;
  rows.begin_array();
  for (const std::string& world : worlds.value()) {
    auto data = mutate_as_operator(op, params, world, message_id, ctx);
    if (!data) return reply(op, false, "", data.status().message());
    const bool is_object = data->IsObject();
    const bool cancelled = is_object && json::get_bool(*data, "cancelled").value_or(false);
    any = any || cancelled;
    rows.begin_object().field("worldId", world).field("cancelled", cancelled);
    rows.field("state", is_object ? json::get_string(*data, "state").value_or("") : std::string()).end_object();
  }
  rows.end_array();
  JsonBuilder b;
  b.begin_object().field("messageId", message_id).field("cancelled", any).key("worlds").raw(rows.take()).end_object();
  return reply(op, true, b.take(), "");
}

// purge-failed {worldId?, messageId?}: deletes dead-letter (`failed`) rows only; data {purged:[{worldId,
// messageId}]}. A named messageId that purges nothing is an error.
std::string purge(const std::string& op, const std::optional<std::string>& world_id,
                  const std::optional<std::string>& message_id, AdminContext& ctx) {
  auto purged = ctx.storage->queue().purge_failed(world_id, message_id);
  audit(ctx, op, world_id, message_id, purged.is_ok());
  if (!purged) return reply(op, false, "", purged.status().message());
  if (message_id && purged->empty()) {
    if (world_id) {
      auto item = ctx.storage->queue().find(*world_id, *message_id);
      if (item && !item.value()) return reply(op, false, "", "Message '" + *message_id + "' not found");
      return reply(op, false, "", "Message '" + *message_id + "' is not in failed state");
    }
    return reply(op, false, "", not_failed_error(ctx, *message_id));
  }
  JsonBuilder b;
  b.begin_object().key("purged").begin_array();
  for (const auto& [world, message] : purged.value()) {
    b.begin_object().field("worldId", world).field("messageId", message).end_object();
  }
  b.end_array().end_object();
  return reply(op, true, b.take(), "");
}

// The mutating ops for an admitted admin key. retry-failed / cancel-message run as the WebSocket command with
// operator rights, in the given world or (no worldId) in every world concerned.
std::string run_mutation(const std::string& op, const json::Document& doc, AdminContext& ctx) {
  json::Document params;
  params.SetObject();
  std::optional<std::string> world_id;
  if (const json::Value* p = json::find(doc, "params"); p != nullptr && p->IsObject()) {
    params.CopyFrom(*p, params.GetAllocator());
    world_id = json::get_string(*p, "worldId");
  }
  const std::optional<std::string> message_id = json::get_string(params, "messageId");
  if (json::find(params, "worldId") != nullptr && !world_id)
    return reply(op, false, "", "params.worldId must be a string");
  if (json::find(params, "messageId") != nullptr && !message_id) {
    return reply(op, false, "", "params.messageId must be a string");
  }
  if (op == "purge-failed") return purge(op, world_id, message_id, ctx);
  if (!world_id && op == "retry-failed") return retry_everywhere(op, params, message_id, ctx);
  if (!world_id) {
    if (!message_id) return reply(op, false, "", "params.messageId is required for " + op);
    return cancel_everywhere(op, params, *message_id, ctx);
  }
  static const Principal kOperator;  // admin of every world
  CommandResult r = ctx.mutate(op, params, world_id, kOperator);
  audit(ctx, op, world_id, message_id, r.status.is_ok());
  if (!r.status) return reply(op, false, "", r.status.message());
  return reply(op, true, r.data_json.empty() ? "null" : r.data_json, "");
}

}  // namespace

std::string handle_admin_request(std::string_view request, AdminContext& ctx) {
  auto doc = json::parse_untrusted(request);
  if (!doc || !doc->IsObject()) return reply("", false, "", "request is not a JSON object");
  const auto v = json::get_int(*doc, "v");
  if (!v || *v != aw::bus::kProtocolVersion) return reply("", false, "", "unsupported version (v must be 1)");
  if (json::get_string(*doc, "kind") != std::optional<std::string>("admin")) {
    return reply("", false, "", "kind must be \"admin\"");
  }
  const auto op = json::get_string(*doc, "op");
  if (!op) return reply("", false, "", "op (string) is required");
  if (*op == "health") return reply(*op, true, health_json(ctx), "");
  if (*op == "processors") return reply(*op, true, processors_json(ctx), "");
  if (*op == "queue-status" || *op == "list-failed") {
    json::Document params;
    params.SetObject();
    std::optional<std::string> world_id;
    if (const json::Value* p = json::find(*doc, "params"); p != nullptr && p->IsObject()) {
      world_id = json::get_string(*p, "worldId");
      if (auto limit = json::get_int(*p, "limit")) {
        params.AddMember("limit", json::Value(static_cast<std::int64_t>(*limit)), params.GetAllocator());
      }
    }
    static const Principal kOperator;  // admin of every world
    CommandResult r = ctx.core.run_command(*op, params, world_id, kOperator);
    if (!r.status) return reply(*op, false, "", r.status.message());
    return reply(*op, true, r.data_json, "");
  }
  if (*op == "retry-failed" || *op == "cancel-message" || *op == "purge-failed") {
    if (!ctx.may_mutate || !ctx.mutate || ctx.storage == nullptr) return reply(*op, false, "", "read-only");
    return run_mutation(*op, *doc, ctx);
  }
  return reply(*op, false, "", "unknown op '" + *op + "'");
}

}  // namespace aw::gateway::bus
