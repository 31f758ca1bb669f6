// HTTP endpoints (see http_endpoints.h).
#include "gateway/server/http_endpoints.h"

#include "gateway/core/json_builder.h"
#include "gateway/server/metrics_text.h"

namespace aw::gateway {
namespace {

double uptime_seconds(const HttpContext& context) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - context.started_at).count();
}

HttpResponse json_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace

HttpResponse handle_http_request(std::string_view method, std::string_view resource, const HttpContext& context) {
  const std::string_view path = resource.substr(0, resource.find('?'));
  if (method != "GET") return error_response(404, "Not found");

  if (path == "/health") {
    JsonBuilder b;
    b.begin_object()
        .field("status", "ok")
        .field("connections", static_cast<std::uint64_t>(context.service->connection_count()))
        .field("worlds", static_cast<std::uint64_t>(context.service->subscribed_world_count()))
        .field("processors", context.bus != nullptr ? context.bus->processors_connected() : 0)
        .field("uptimeSeconds", static_cast<std::int64_t>(uptime_seconds(context)))
        .end_object();
    return json_response(200, b.take());
  }

  if (path == "/readyz") {
    if (context.shutting_down) return json_response(503, R"({"status":"not-ready","reason":"shutting down"})");
    if (context.core == nullptr || !context.core->is_ready()) {
      return json_response(503, R"({"status":"not-ready","reason":"database not open"})");
    }
    const std::int64_t processors = context.bus != nullptr ? context.bus->processors_connected() : 0;
    return json_response(200, R"({"status":"ready","database":"ok","processors":)" + std::to_string(processors) + "}");
  }

  if (path == "/metrics") {
    MetricsInputs inputs;
    inputs.ws = &context.service->counters();
    if (context.core != nullptr) {
      inputs.queue_items = context.core->queue_counts();
      inputs.events_persisted = context.core->persisted_event_counts();
      const GatewayCore::DurabilityStats durability = context.core->durability_stats();
      inputs.wal_syncs = durability.syncs;
      inputs.wal_sync_failures = durability.failures;
      inputs.wal_sync_seconds = durability.sync_seconds;
    }
    if (context.bus != nullptr) {
      inputs.processors_connected = context.bus->processors_connected();
      inputs.bus = &context.bus->counters();
    }
    inputs.uptime_seconds = uptime_seconds(context);
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = render_metrics(inputs);
    return r;
  }

  return error_response(404, "Not found");
}

}  // namespace aw::gateway
