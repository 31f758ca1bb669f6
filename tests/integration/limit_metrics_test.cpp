// Every limit of ws-protocol.md §3.1 and §3.4 against a real aw-gateway: the refusal or close code the spec gives,
// and its agentworld_limit_hits_total{limit} counter on /metrics (docs/security.md lists them).
// The slow-consumer close (4008) is exercised by limits_test.cpp; its counter by the unit tests (limit_counters).
#include <boost/test/unit_test.hpp>

#include "tests/integration/assertions.h"

namespace aw::test {
namespace {

double hits(GatewayProcess& gateway, const std::string& limit) {
  return read_metric(gateway, "agentworld_limit_hits_total", {{"limit", limit}}).value_or(-1);
}

// Waits until the gateway has seen every earlier connection of the suite close (closes are noticed asynchronously).
bool wait_no_connections(GatewayProcess& gateway) {
  return wait_until([&] { return read_metric(gateway, "agentworld_ws_connections").value_or(-1) == 0; });
}

struct LimitFixture : GatewayFixture {
  GatewayProcess& gateway = shared("limit-metrics", {{"AW_MAX_FRAME_BYTES", "4096"},
                                                     {"AW_MAX_SUBSCRIPTIONS", "2"},
                                                     {"AW_QUEUE_MAX_PENDING_PER_WORLD", "1"},
                                                     {"AW_MAX_RESPONSE_BYTES", "8192"},
                                                     {"AW_MAX_CONNECTIONS", "4"},
                                                     {"AW_RATE_LIMIT_RPS", "1"},
                                                     {"AW_RATE_LIMIT_BURST", "20"}});
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(limit_metrics, LimitFixture)

BOOST_AUTO_TEST_CASE(every_limit_counter_is_exported_from_the_start) {
  for (const char* limit : {"origin", "connections", "rate", "rate_close", "frame_size", "outbound", "response_size",
                            "subscriptions", "pending_per_world"}) {
    BOOST_TEST(hits(gateway, limit) >= 0, limit);
  }
  for (const char* reason : {"missing", "timeout", "malformed", "algorithm", "bad_signature", "expired",
                             "not_yet_valid", "issuer", "audience", "claims"}) {
    BOOST_TEST(read_metric(gateway, "agentworld_auth_failures_total", {{"reason", reason}}).has_value(), reason);
  }
}

BOOST_AUTO_TEST_CASE(origin_refused_403_is_counted) {
  const double before = hits(gateway, "origin");
  WsTestClient evil;
  BOOST_TEST(!evil.connect(gateway.url(), {{"Origin", "https://evil.example.com"}}).is_ok());
  BOOST_TEST(evil.refused_http_status() == 403);
  BOOST_TEST(hits(gateway, "origin") == before + 1);
}

BOOST_AUTO_TEST_CASE(frame_too_large_closes_1009_and_is_counted) {
  const double before = hits(gateway, "frame_size");
  auto client = connect(gateway);
  AW_REQUIRE_OK(client->send_text(R"({"type":"ping","pad":")" + std::string(5000, 'x') + R"("})"));
  auto closed = client->wait_closed();
  BOOST_REQUIRE(closed.has_value());
  BOOST_TEST(closed->remote_code == 1009);
  BOOST_TEST(wait_until([&] { return hits(gateway, "frame_size") == before + 1; }));
}

BOOST_AUTO_TEST_CASE(subscription_cap_is_limit_exceeded_and_counted) {
  const double before = hits(gateway, "subscriptions");
  auto client = connect(gateway);
  require_subscribed(*client, "lm-sub-1");
  require_subscribed(*client, "lm-sub-2");
  auto refused = request(*client, JsonObject().set("type", "subscribe").set("worldId", "lm-sub-3"));
  AW_REQUIRE_OK(refused);
  check_error_frame(*refused, "limit_exceeded", "Too many subscriptions");
  BOOST_TEST(hits(gateway, "subscriptions") == before + 1);
}

BOOST_AUTO_TEST_CASE(pending_per_world_cap_is_limit_exceeded_and_counted) {
  auto client = connect(gateway);
  AW_REQUIRE_OK(create_world(*client, "LM Pending"));
  const double before = hits(gateway, "pending_per_world");
  require_queued(*client, "lm-pending", "lm-p1");  // no processor: it stays pending
  auto refused = request(*client, JsonObject()
                                      .set("type", "message")
                                      .set("worldId", "lm-pending")
                                      .set("messageId", "lm-p2")
                                      .set("payload", JsonObject().set("content", "x")));
  AW_REQUIRE_OK(refused);
  check_error_frame(*refused, "limit_exceeded", "Queue for world 'lm-pending' is full");
  BOOST_TEST(hits(gateway, "pending_per_world") == before + 1);
}

BOOST_AUTO_TEST_CASE(oversized_response_is_result_too_large_and_counted) {
  auto client = connect(gateway);
  AW_REQUIRE_OK(create_world(*client, "LM Big"));
  for (int i = 0; i < 3; ++i) {
    require_success(*client, "create-agent",
                    JsonObject()
                        .set("id", "big-" + std::to_string(i))
                        .set("name", "Big")
                        .set("systemPrompt", std::string(3000, 'q')),
                    "lm-big");
  }
  const double before = hits(gateway, "response_size");
  require_failure(*client, "list-agents", JsonObject(), "lm-big", "result_too_large", "Result exceeds 8192 bytes");
  BOOST_TEST(hits(gateway, "response_size") == before + 1);
}

BOOST_AUTO_TEST_CASE(connection_cap_refuses_503_and_is_counted) {
  BOOST_REQUIRE(wait_no_connections(gateway));
  const double before = hits(gateway, "connections");
  std::vector<std::unique_ptr<WsTestClient>> open;
  for (int i = 0; i < 4; ++i) open.push_back(connect(gateway));
  WsTestClient extra;
  BOOST_TEST(!extra.connect(gateway.url()).is_ok());
  BOOST_TEST(extra.refused_http_status() == 503);
  open.clear();
  BOOST_TEST(hits(gateway, "connections") == before + 1);
}

BOOST_AUTO_TEST_CASE(rate_limit_refusals_and_4029_are_counted) {
  BOOST_REQUIRE(wait_no_connections(gateway));
  const double rate_before = hits(gateway, "rate");
  const double close_before = hits(gateway, "rate_close");
  auto client = connect(gateway);
  // 20 tokens of burst, then 20 consecutive refusals close the connection with 4029.
  for (int i = 0; i < 80 && client->is_open(); ++i) (void)client->send_text(R"({"type":"unsubscribe"})");
  auto closed = client->wait_closed();
  BOOST_REQUIRE(closed.has_value());
  BOOST_TEST(closed->remote_code == 4029);
  BOOST_TEST(wait_until([&] { return hits(gateway, "rate_close") == close_before + 1; }));
  BOOST_TEST(hits(gateway, "rate") >= rate_before + 20);
  BOOST_TEST(read_metric(gateway, "agentworld_ws_errors_total", {{"code", "rate_limited"}}).value_or(0) >= 20);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
