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

// retry-failed / cancel-message for an admitted admin key: the WebSocket command with operator rights.
std::string run_mutation(const std::string& op, const json::Document& doc, AdminContext& ctx) {
  json::Document params;
  params.SetObject();
  std::optional<std::string> world_id;
  if (const json::Value* p = json::find(doc, "params"); p != nullptr && p->IsObject()) {
    params.CopyFrom(*p, params.GetAllocator());
    world_id = json::get_string(*p, "worldId");
  }
  if (!world_id) return reply(op, false, "", "params.worldId is required for " + op);
  static const Principal kOperator;  // admin of every world
  CommandResult r = ctx.mutate(op, params, world_id, kOperator);
  if (ctx.logger != nullptr) {
    ctx.logger->info("admin mutation", {{"op", op},
                                        {"world", *world_id},
                                        {"messageId", json::get_string(params, "messageId").value_or("")},
                                        {"key", ctx.caller_key},
                                        {"ok", r.status.is_ok()}});
  }
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
    if (!ctx.may_mutate || !ctx.mutate) return reply(*op, false, "", "read-only");
    if (*op == "purge-failed") return reply(*op, false, "", "purge-failed is not implemented by this gateway");
    return run_mutation(*op, *doc, ctx);
  }
  return reply(*op, false, "", "unknown op '" + *op + "'");
}

}  // namespace aw::gateway::bus
