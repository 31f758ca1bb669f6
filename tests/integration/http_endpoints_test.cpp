// Plain HTTP on the WebSocket port (ws-protocol.md §1): /health, /readyz, /metrics, 404 for anything else, and
// WebSocket upgrades on any path.
#include <boost/test/unit_test.hpp>

#include "tests/integration/assertions.h"

namespace aw::test {
namespace {

struct HttpFixture : GatewayFixture {
  GatewayProcess& gateway = shared("http");
};

Frame parse_body(const HttpResponse& response) {
  Frame body = make_frame(response.body, false);
  BOOST_REQUIRE_MESSAGE(body.parsed, "body is not JSON: " << response.body);
  return body;
}

std::int64_t health_field(GatewayProcess& gateway, const std::string& field) {
  auto response = gateway.http_get("/health");
  if (!response.is_ok() || response->status != 200) return kAbsentInt;
  return make_frame(response->body, false).int_at(field).value_or(kAbsentInt);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_endpoints, HttpFixture)

BOOST_AUTO_TEST_CASE(health_has_the_compat_shape_and_cors_header) {
  const HttpResponse response = http_get_ok(gateway, "/health");
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.headers.count("access-control-allow-origin") == 1u);
  if (response.headers.count("access-control-allow-origin")) {
    BOOST_TEST(response.headers.at("access-control-allow-origin") == "*");
  }
  const Frame body = parse_body(response);
  BOOST_TEST(str_of(body, "status") == "ok");
  BOOST_TEST(int_of(body, "connections") >= 0);
  BOOST_TEST(int_of(body, "worlds") >= 0);
}

BOOST_AUTO_TEST_CASE(health_counts_open_connections_and_subscribed_worlds) {
  const std::int64_t connections_before = health_field(gateway, "connections");
  const std::int64_t worlds_before = health_field(gateway, "worlds");
  BOOST_REQUIRE(connections_before != kAbsentInt);
  {
    auto a = connect(gateway);
    auto b = connect(gateway);
    AW_REQUIRE_OK(create_world(*a, "Health Count World"));
    require_subscribed(*b, "health-count-world");
    BOOST_TEST(wait_until([&] { return health_field(gateway, "connections") == connections_before + 2; }));
    BOOST_TEST(wait_until([&] { return health_field(gateway, "worlds") == worlds_before + 1; }));
  }
  // Both clients closed: the counts go back.
  BOOST_TEST(wait_until([&] { return health_field(gateway, "connections") == connections_before; }));
  BOOST_TEST(wait_until([&] { return health_field(gateway, "worlds") == worlds_before; }));
}

BOOST_AUTO_TEST_CASE(readyz_reports_ready_with_database_ok) {
  const HttpResponse response = http_get_ok(gateway, "/readyz");
  BOOST_TEST(response.status == 200);
  const Frame body = parse_body(response);
  BOOST_TEST(str_of(body, "status") == "ready");
  BOOST_TEST(str_of(body, "database") == "ok");
  BOOST_TEST(int_of(body, "processors") == 0);  // no processor in these tests
}

BOOST_AUTO_TEST_CASE(metrics_has_every_required_metric) {
  const HttpResponse response = http_get_ok(gateway, "/metrics");
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.headers.count("content-type") == 1u);
  if (response.headers.count("content-type")) {
    BOOST_TEST(response.headers.at("content-type").find("text/plain") == 0u);
  }
  for (const char* name :
       {"agentworld_ws_connections", "agentworld_ws_closes_total", "agentworld_events_persisted_total",
        "agentworld_queue_items", "agentworld_run_duration_seconds", "agentworld_processors_connected",
        "agentworld_bus_dropped_total", "agentworld_bus_gaps_total"}) {
    BOOST_TEST(has_metric(response.body, name), "missing metric " << name);
  }
  BOOST_TEST(metric_value(response.body, "agentworld_processors_connected").value_or(-1) == 0.0);
}

BOOST_AUTO_TEST_CASE(metrics_track_connections_and_persisted_crud) {
  auto client = connect(gateway);
  const double connections = read_metric(gateway, "agentworld_ws_connections").value_or(-1);
  BOOST_TEST(connections >= 1.0);
  const double crud_before =
      read_metric(gateway, "agentworld_events_persisted_total", {{"event_type", "crud"}}).value_or(0.0);
  // create-world persists two crud frames (create world, create chat: agent-runtime.md §10.3).
  AW_REQUIRE_OK(create_world(*client, "Metrics Crud World"));
  BOOST_TEST(wait_until([&] {
    return read_metric(gateway, "agentworld_events_persisted_total", {{"event_type", "crud"}}).value_or(0.0) >=
           crud_before + 2;
  }));
  AW_REQUIRE_OK(
      request(*client,
              JsonObject().set("type", "message").set("worldId", "metrics-crud-world").set("messageId", "metrics-m1")));
  BOOST_TEST(wait_until([&] {
    return read_metric(gateway, "agentworld_queue_items", {{"state", "pending"}}).value_or(0.0) >= 1.0;
  }));
}

BOOST_AUTO_TEST_CASE(unknown_path_is_404_with_json_error) {
  for (const char* path : {"/nope", "/health/extra", "/api/worlds"}) {
    const HttpResponse response = http_get_ok(gateway, path);
    BOOST_TEST(response.status == 404, "GET " << path);
    const Frame body = parse_body(response);
    BOOST_TEST(body.text.find("\"error\"") != std::string::npos);
    BOOST_TEST(str_of(body, "error") == "Not found");
    BOOST_TEST(response.headers.count("access-control-allow-origin") == 1u);
  }
}

BOOST_AUTO_TEST_CASE(websocket_upgrade_works_on_any_path) {
  for (const char* path : {"/", "/ws", "/some/deep/path?token=ignored&x=1"}) {
    auto client = connect(gateway, {}, {}, path);
    BOOST_TEST(ping_pong(*client), "no pong on path " << path);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
