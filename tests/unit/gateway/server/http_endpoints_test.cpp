// HTTP endpoints: /health, /readyz, /metrics and 404 (ws-protocol.md §1).
#include <boost/test/unit_test.hpp>

#include "common/json.h"
#include "gateway/server/http_endpoints.h"
#include "tests/unit/gateway/session/fake_core.h"
#include "tests/unit/gateway/session/fake_transport.h"

namespace aw::gateway {
namespace {

struct HttpFixture {
  HttpFixture() : service(core, authenticator, ServiceOptions{}, Logger()) {}
  HttpContext context() { return HttpContext{&service, &core, false, std::chrono::steady_clock::now()}; }

  test::FakeCore core;
  NoAuthAuthenticator authenticator;
  GatewayService service;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_endpoints, HttpFixture)

BOOST_AUTO_TEST_CASE(health_counts_connections_and_subscribed_worlds) {
  auto t = std::make_shared<test::FakeTransport>();
  SessionId id = service.open_session(t, SteadyTime());
  service.on_text(id, R"({"type":"subscribe","worldId":"w"})", SteadyTime());
  HttpResponse r = handle_http_request("GET", "/health", context());
  BOOST_TEST(r.status == 200);
  auto d = json::parse_untrusted(r.body);
  BOOST_REQUIRE(d.is_ok());
  BOOST_TEST(json::get_string(*d, "status").value_or("") == "ok");
  BOOST_TEST(json::get_int(*d, "connections").value_or(-1) == 1);
  BOOST_TEST(json::get_int(*d, "worlds").value_or(-1) == 1);
}

BOOST_AUTO_TEST_CASE(readyz_follows_the_database_and_shutdown) {
  HttpResponse ready = handle_http_request("GET", "/readyz", context());
  BOOST_TEST(ready.status == 200);
  BOOST_TEST(ready.body == R"({"status":"ready","database":"ok","processors":0})");
  HttpContext stopping = context();
  stopping.shutting_down = true;
  HttpResponse r = handle_http_request("GET", "/readyz?x=1", stopping);
  BOOST_TEST(r.status == 503);
  BOOST_TEST(r.body == R"({"status":"not-ready","reason":"shutting down"})");
  core.ready = false;
  BOOST_TEST(handle_http_request("GET", "/readyz", context()).status == 503);
}

BOOST_AUTO_TEST_CASE(metrics_has_the_required_families) {
  HttpResponse r = handle_http_request("GET", "/metrics", context());
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.content_type.find("text/plain") == 0u);
  for (const char* line :
       {"# TYPE agentworld_ws_connections gauge\nagentworld_ws_connections 0\n",
        "# TYPE agentworld_ws_closes_total counter\n", "agentworld_events_persisted_total{event_type=\"crud\"} 3\n",
        "agentworld_queue_items{state=\"pending\"} 2\n", "agentworld_queue_items{state=\"failed\"} 0\n",
        "# TYPE agentworld_run_duration_seconds histogram\n", "agentworld_processors_connected 0\n",
        "agentworld_bus_dropped_total{reason=\"invalid\"} 0\n", "agentworld_bus_gaps_total 0\n"}) {
    BOOST_TEST_CONTEXT(line) { BOOST_TEST(r.body.find(line) != std::string::npos); }
  }
}

BOOST_AUTO_TEST_CASE(metrics_report_the_wal_syncs_behind_durable_acks) {
  core.durability = GatewayCore::DurabilityStats{12, 1, 0.5};
  HttpResponse r = handle_http_request("GET", "/metrics", context());
  for (const char* line : {"# TYPE agentworld_wal_syncs_total counter\nagentworld_wal_syncs_total 12\n",
                           "agentworld_wal_sync_failures_total 1\n", "agentworld_wal_sync_seconds_total 0.500000\n"}) {
    BOOST_TEST_CONTEXT(line) { BOOST_TEST(r.body.find(line) != std::string::npos); }
  }
}

BOOST_AUTO_TEST_CASE(everything_else_is_not_found) {
  for (const char* path : {"/", "/healthz", "/health/x", "/metrics2"}) {
    HttpResponse r = handle_http_request("GET", path, context());
    BOOST_TEST(r.status == 404);
    BOOST_TEST(r.body == R"({"error":"Not found"})");
  }
  BOOST_TEST(handle_http_request("POST", "/health", context()).status == 404);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
