// GatewayService over a fake core: commands (success, the error pair, result_too_large, fan-out of the result),
// whoami, rate limiting, heartbeats and the AW_AUTH=required gate (ws-protocol.md §3, §4.6, §8.3).
#include <boost/test/unit_test.hpp>

#include <stdexcept>

#include "tests/unit/gateway/session/service_fixture.h"

namespace aw::gateway {

using test::Conn;
using test::FakeCore;
using test::make_event;
using test::make_status;

BOOST_FIXTURE_TEST_SUITE(gateway_service_commands, test::ServiceFixture)

BOOST_AUTO_TEST_CASE(command_success_and_its_crud_fan_out) {
  core.on_command = [](const FakeCore::CommandCall&) {
    CommandResult r;
    r.message = "Agent 'Alice' created successfully";
    r.data_json = R"({"id":"alice"})";
    r.broadcasts.push_back(make_event("w", std::nullopt, 4));
    return r;
  };
  Conn requester = open();
  Conn watcher = open();
  send(watcher, R"({"type":"subscribe","worldId":"w","chatId":"c1"})");
  watcher.transport->clear();
  send(requester, R"({"type":"command","worldId":"W","requestId":"r4",)"
                  R"("payload":{"command":"create-agent","params":{"name":"Alice"}}})");
  BOOST_REQUIRE(core.commands.size() == 1u);
  BOOST_TEST(core.commands[0].command == "create-agent");
  BOOST_TEST(core.commands[0].world_id.value_or("") == "w");
  BOOST_TEST(core.commands[0].params_json == R"({"name":"Alice"})");
  BOOST_REQUIRE(requester.count() == 1u);
  auto ok = requester.frame(0);
  BOOST_TEST(str(ok, "worldId") == "W");
  BOOST_TEST(str(ok, "requestId") == "r4");
  BOOST_TEST(str(payload(ok), "status") == "success");
  BOOST_TEST(str(payload(ok), "command") == "create-agent");
  BOOST_TEST(str(payload(ok), "message") == "Agent 'Alice' created successfully");
  BOOST_TEST(str(*json::find(payload(ok), "data"), "id") == "alice");
  BOOST_TEST(watcher.count() == 1u);  // the crud frame, despite the chat filter
}

BOOST_AUTO_TEST_CASE(command_failure_is_the_error_pair) {
  core.on_command = [](const FakeCore::CommandCall&) {
    CommandResult r;
    r.status = Status::error("already_exists", "Command execution failed: World with name 'X' already exists");
    return r;
  };
  Conn c = open();
  send(c, R"({"type":"command","requestId":"r","payload":{"command":"create-world","params":{"name":"X"}}})");
  BOOST_REQUIRE(c.count() == 2u);
  BOOST_TEST(c.type(0) == "error");
  BOOST_TEST(str(c.frame(0), "code") == "already_exists");
  BOOST_TEST(str(c.frame(0), "command") == "create-world");
  BOOST_TEST(c.status(1) == "error");
  BOOST_TEST(str(payload(c.frame(1)), "message") == "Command execution failed: World with name 'X' already exists");
  BOOST_TEST(str(c.frame(1), "requestId") == "r");
}

BOOST_AUTO_TEST_CASE(decode_errors_of_commands_are_pairs_too) {
  Conn c = open();
  send(c, R"({"type":"command","payload":{"command":"teleport"}})");
  send(c, R"({"type":"command","payload":{"command":"list-agents"}})");
  BOOST_REQUIRE(c.count() == 4u);
  BOOST_TEST(str(c.frame(0), "error") == "Unknown command: teleport");
  BOOST_TEST(str(payload(c.frame(1)), "code") == "unknown_command");
  BOOST_TEST(str(c.frame(2), "error") == "worldId required for list-agents");
  BOOST_TEST(c.status(3) == "error");
  BOOST_TEST(core.commands.empty());
}

BOOST_AUTO_TEST_CASE(oversized_result_becomes_result_too_large) {
  options.max_response_bytes = 2048;
  core.on_command = [](const FakeCore::CommandCall&) {
    CommandResult r;
    r.data_json = "\"" + std::string(5000, 'a') + "\"";
    return r;
  };
  Conn c = open();
  send(c, R"({"type":"command","worldId":"w","payload":{"command":"export-world"}})");
  BOOST_REQUIRE(c.count() == 2u);
  BOOST_TEST(str(c.frame(0), "code") == "result_too_large");
  BOOST_TEST(str(c.frame(0), "error") == "Result exceeds 2048 bytes");
  BOOST_TEST(c.status(1) == "error");
}

BOOST_AUTO_TEST_CASE(internal_failure_is_reported_and_the_connection_survives) {
  core.on_command = [](const FakeCore::CommandCall&) -> CommandResult { throw std::runtime_error("boom"); };
  Conn c = open();
  send(c, R"({"type":"command","payload":{"command":"list-worlds"}})");
  BOOST_REQUIRE(c.count() == 2u);
  BOOST_TEST(str(c.frame(0), "code") == "internal");
  BOOST_TEST(str(c.frame(0), "error") == "Internal error");
  BOOST_TEST(!c.transport->closed);
}

BOOST_AUTO_TEST_CASE(deleted_world_unsubscribes_its_subscribers) {
  core.on_command = [](const FakeCore::CommandCall&) {
    CommandResult r;
    r.message = "World deleted";
    r.data_json = "true";
    r.broadcasts.push_back(make_event("w", std::nullopt, 9));
    r.deleted_worlds.push_back("w");
    return r;
  };
  Conn requester = open();
  Conn watcher = open();
  send(watcher, R"({"type":"subscribe","worldId":"w"})");
  send(watcher, R"({"type":"subscribe","worldId":"w","chatId":"c"})");
  watcher.transport->clear();
  send(requester, R"({"type":"command","worldId":"w","payload":{"command":"delete-world"}})");
  BOOST_REQUIRE(watcher.count() == 2u);
  BOOST_TEST(json::get_int(watcher.frame(0), "seq").value_or(0) == 9);  // the crud delete first
  auto notice = watcher.frame(1);
  BOOST_TEST(str(payload(notice), "status") == "unsubscribed");
  BOOST_TEST(str(payload(notice), "reason") == "world-deleted");
  BOOST_TEST(json::get_int(payload(notice), "removed").value_or(0) == 2);
  BOOST_TEST(str(notice, "worldId") == "w");
  BOOST_TEST(service().subscribed_world_count() == 0u);
}

BOOST_AUTO_TEST_CASE(retry_failed_makes_the_requester_an_origin) {
  core.on_command = [](const FakeCore::CommandCall&) {
    CommandResult r;
    r.data_json = R"({"requeued":["m1"]})";
    r.statuses.push_back(make_status("w", "m1", "queued"));
    return r;
  };
  Conn c = open();
  send(c, R"({"type":"command","worldId":"w","payload":{"command":"retry-failed"}})");
  BOOST_REQUIRE(c.count() == 2u);
  BOOST_TEST(c.status(0) == "success");
  BOOST_TEST(c.status(1) == "queued");
  service().deliver_status(make_status("w", "m1", "processing"));
  BOOST_TEST(c.count() == 3u);
}

BOOST_AUTO_TEST_CASE(whoami_is_answered_by_the_gateway) {
  Conn c = open();
  send(c, R"({"type":"subscribe","worldId":"w"})");
  send(c, R"({"type":"command","requestId":"q","payload":{"command":"whoami"}})");
  BOOST_TEST(core.commands.empty());
  auto d = c.last();
  BOOST_TEST(str(payload(d), "message") == "Authentication disabled");
  const json::Value& data = *json::find(payload(d), "data");
  BOOST_TEST(!json::get_bool(data, "authenticated").value_or(true));
  BOOST_TEST(str(data, "authMode") == "off");
  BOOST_TEST(str(data, "role") == "admin");
  BOOST_TEST(str(data, "connectionId").rfind("conn-", 0) == 0u);
  const json::Value* subs = json::find(data, "subscriptions");
  BOOST_REQUIRE(subs != nullptr && subs->IsArray() && subs->Size() == 1u);
  BOOST_TEST(str((*subs)[0], "worldId") == "w");
  BOOST_TEST(json::find((*subs)[0], "chatId")->IsNull());
}

BOOST_AUTO_TEST_CASE(auth_frame_with_auth_off_is_admin_of_everything) {
  Conn c = open();
  send(c, R"({"type":"auth","requestId":"a","payload":{"token":"whatever"}})");
  auto d = c.frame(0);
  BOOST_TEST(str(payload(d), "status") == "authenticated");
  BOOST_TEST(str(payload(d), "role") == "admin");
  BOOST_TEST(str(d, "requestId") == "a");
}

BOOST_AUTO_TEST_CASE(rate_limit_rejects_then_closes_with_4029) {
  options.session.rate_limit_rps = 1;
  options.session.rate_limit_burst = 3;
  Conn c = open();
  for (int i = 0; i < 3; ++i) send(c, R"({"type":"unsubscribe"})");
  send(c, R"({"type":"ping"})");  // free
  BOOST_TEST(c.type(3) == "pong");
  send(c, R"({"type":"command","requestId":"x","payload":{"command":"list-worlds"}})");
  BOOST_REQUIRE(c.count() == 6u);  // the rejected command gets the pair
  BOOST_TEST(str(c.frame(4), "code") == "rate_limited");
  BOOST_TEST(str(c.frame(4), "error") == "Rate limit exceeded");
  BOOST_TEST(str(c.frame(4), "details") == "1000");
  BOOST_TEST(str(c.frame(4), "requestId") == "x");
  BOOST_TEST(c.status(5) == "error");
  BOOST_TEST(core.commands.empty());
  send(c, "not json");
  BOOST_TEST(!c.transport->closed);
  send(c, R"({"type":"unsubscribe"})");  // third consecutive rejection = burst
  BOOST_TEST(c.transport->closed);
  BOOST_TEST(c.transport->close_code == 4029);
}

BOOST_AUTO_TEST_CASE(heartbeat_pings_and_closes_silent_connections) {
  Conn c = open();
  service().on_heartbeat_tick(now + std::chrono::milliseconds(50), now_ms());
  BOOST_TEST(c.transport->pings == 0);
  service().on_heartbeat_tick(now + std::chrono::milliseconds(100), now_ms());
  BOOST_TEST(c.transport->pings == 1);
  service().on_control_frame(c.id, now + std::chrono::milliseconds(250));  // a pong
  service().on_heartbeat_tick(now + std::chrono::milliseconds(400), now_ms());
  BOOST_TEST(!c.transport->closed);
  service().on_heartbeat_tick(now + std::chrono::milliseconds(551), now_ms());
  BOOST_TEST(c.transport->closed);
  BOOST_TEST(c.transport->close_code == 4009);
  BOOST_TEST(c.transport->close_timeout_ms == 1000);  // TCP dropped 1 s later if the peer does not answer
  service().on_closed(c.id, 1006);
  BOOST_TEST(service().counters().closes_by_code.at(4009) == 1);  // counted under the code we sent
}

BOOST_AUTO_TEST_CASE(required_auth_refuses_frames_before_auth) {
  auth.required = true;
  Conn c = open();
  send(c, R"({"type":"ping"})");
  BOOST_TEST(c.type(0) == "pong");
  send(c, R"({"type":"subscribe","worldId":"w1","requestId":"s"})");
  BOOST_TEST(str(c.frame(1), "code") == "unauthorized");
  BOOST_TEST(str(c.frame(1), "error") == "Authentication required");
  BOOST_TEST(c.transport->close_code == 4001);
}

BOOST_AUTO_TEST_CASE(required_auth_applies_roles_and_world_scope) {
  auth.required = true;
  Conn c = open();
  send(c, R"({"type":"auth","payload":{"token":"good"}})");
  auto ok = c.frame(0);
  BOOST_TEST(str(payload(ok), "subject") == "u1");
  BOOST_TEST(str(payload(ok), "role") == "writer");
  BOOST_TEST(str(payload(ok), "expiresAt") == "2100-01-01T00:00:00.000Z");
  send(c, R"({"type":"subscribe","worldId":"w2"})");
  BOOST_TEST(str(c.frame(1), "code") == "forbidden");
  BOOST_TEST(str(c.frame(1), "error") == "Access to world 'w2' denied");
  send(c, R"({"type":"command","worldId":"w1","payload":{"command":"delete-world"}})");
  BOOST_TEST(str(c.frame(2), "error") == "Role 'writer' may not use 'delete-world'");
  BOOST_TEST(c.status(3) == "error");
  send(c, R"({"type":"unsubscribe","worldId":"w2"})");  // never refused for scope
  BOOST_TEST(c.status(4) == "unsubscribed");
  BOOST_TEST(!c.transport->closed);
}

BOOST_AUTO_TEST_CASE(required_auth_times_out_and_expires) {
  auth.required = true;
  Conn late = open();
  service().on_heartbeat_tick(now + std::chrono::milliseconds(250), now_ms());
  BOOST_TEST(late.transport->close_code == 4001);

  auth.expires_at = now_ms() - 1;
  Conn expired = open();
  send(expired, R"({"type":"auth","payload":{"token":"good"}})");
  service().on_heartbeat_tick(now + std::chrono::milliseconds(10), now_ms());
  BOOST_TEST(expired.transport->close_code == 4002);

  Conn bad = open();
  send(bad, R"({"type":"auth","payload":{"token":"bad"}})");
  BOOST_TEST(str(bad.frame(0), "error") == "Invalid token");
  BOOST_TEST(bad.transport->close_code == 4001);
}

BOOST_AUTO_TEST_CASE(shutdown_closes_everyone_with_4000) {
  Conn a = open();
  Conn b = open();
  service().close_all(4000, "shutting down", 10000);
  BOOST_TEST(a.transport->close_code == 4000);
  BOOST_TEST(b.transport->close_timeout_ms == 10000);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
