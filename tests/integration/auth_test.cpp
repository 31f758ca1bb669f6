// Authentication and access control against a real aw-gateway with AW_AUTH=required (ws-protocol.md §3.2, §8.3
// whoami): token delivery (Bearer header, auth frame), the unauthenticated window, expiry on a live connection,
// refresh, world scope and roles, each refusal with its code and its /metrics counter. Tokens are signed here with
// OpenSSL's HMAC (tests/support/jwt_mint.h).
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "tests/integration/assertions.h"
#include "tests/support/jwt_mint.h"

namespace aw::test {
namespace {

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A token for `sub` with `role` and `worlds` (a JSON array text), valid for `ttl_s` seconds from now.
std::string token(const std::string& sub, const std::string& role, const std::string& worlds,
                  std::int64_t ttl_s = 3600) {
  return mint_jwt(R"({"sub":")" + sub + R"(","role":")" + role + R"(","worlds":)" + worlds + R"(,"exp":)" +
                  std::to_string(now_s() + ttl_s) + "}");
}

JsonObject auth_frame(const std::string& jwt) {
  return JsonObject().set("type", "auth").set("payload", JsonObject().set("token", jwt));
}

double metric(GatewayProcess& gateway, const std::string& name, const std::string& label, const std::string& value) {
  return read_metric(gateway, name, {{label, value}}).value_or(-1);
}

struct AuthFixture : GatewayFixture {
  GatewayProcess& gateway = shared("auth", {{"AW_AUTH", "required"},
                                            {"AW_AUTH_JWT_SECRET", kTestJwtSecret},
                                            {"AW_AUTH_TIMEOUT_MS", "700"},
                                            {"LOG_LEVEL", "trace"}});  // tokens must not appear even at trace

  // A connection authenticated by an `auth` frame; requires the `authenticated` answer.
  std::unique_ptr<WsTestClient> connect_as(const std::string& jwt) {
    auto client = connect(gateway);
    auto answer = request(*client, auth_frame(jwt));
    AW_REQUIRE_OK(answer);
    BOOST_REQUIRE_MESSAGE(answer->status() == "authenticated", "auth answered " << answer->json_at(""));
    return client;
  }
  std::unique_ptr<WsTestClient> admin() { return connect_as(token("root", "admin", R"(["*"])")); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(auth, AuthFixture)

BOOST_AUTO_TEST_CASE(frame_before_auth_is_unauthorized_then_4001) {
  auto client = connect(gateway);
  BOOST_TEST(ping_pong(*client));  // ping is allowed before authenticating
  const double before = metric(gateway, "agentworld_auth_failures_total", "reason", "missing");
  auto reply = run_command(*client, "list-worlds");
  AW_REQUIRE_OK(reply);
  check_failure_reply(*reply, "list-worlds", "unauthorized", "Authentication required");
  auto closed = client->wait_closed();
  BOOST_REQUIRE(closed.has_value());
  BOOST_TEST(closed->remote_code == 4001);
  BOOST_TEST(metric(gateway, "agentworld_auth_failures_total", "reason", "missing") == before + 1);
}

BOOST_AUTO_TEST_CASE(no_auth_in_time_closes_4001) {
  const auto opened = Clock::now();
  auto client = connect(gateway);
  auto closed = client->wait_closed(Millis(5000));
  BOOST_REQUIRE_MESSAGE(closed.has_value(), "not closed after AW_AUTH_TIMEOUT_MS");
  BOOST_TEST(closed->remote_code == 4001);
  BOOST_TEST(std::chrono::duration_cast<Millis>(Clock::now() - opened).count() >= 650);
  BOOST_TEST(metric(gateway, "agentworld_auth_failures_total", "reason", "timeout") >= 1);
}

BOOST_AUTO_TEST_CASE(bearer_header_good_is_authenticated_bad_is_401) {
  auto good = connect(gateway, {}, {{"Authorization", "Bearer " + token("hdr", "reader", R"(["w1"])")}});
  auto me = require_success(*good, "whoami");
  BOOST_TEST(me.status.json_at("payload.data.authenticated") == "true");
  BOOST_TEST(me.data_string("subject").value_or("") == "hdr");
  BOOST_TEST(me.message() == "Authenticated as 'hdr'");

  const double bad_before = metric(gateway, "agentworld_auth_failures_total", "reason", "bad_signature");
  const std::string forged =
      mint_jwt(R"({"sub":"x","exp":)" + std::to_string(now_s() + 60) + "}", "some-other-secret-of-at-least-32-bytes");
  const std::string expired = token("old", "admin", R"(["*"])", -3600);
  const std::string none =
      base64url_encode(R"({"alg":"none"})") + "." +
      base64url_encode(R"({"sub":"x","role":"admin","exp":)" + std::to_string(now_s() + 60) + "}") + ".";
  for (const std::string& header : {"Bearer " + forged, "Bearer " + expired, "Bearer " + none, std::string("Bearer "),
                                    "Basic " + token("basic", "admin", R"(["*"])")}) {
    WsTestClient refused;
    BOOST_TEST(!refused.connect(gateway.url(), {{"Authorization", header}}).is_ok());
    BOOST_TEST(refused.refused_http_status() == 401, header.substr(0, 12));
  }
  BOOST_TEST(metric(gateway, "agentworld_auth_failures_total", "reason", "bad_signature") == bad_before + 1);
  BOOST_TEST(metric(gateway, "agentworld_auth_failures_total", "reason", "expired") >= 1);
  BOOST_TEST(metric(gateway, "agentworld_auth_failures_total", "reason", "algorithm") >= 1);
}

BOOST_AUTO_TEST_CASE(auth_frame_good_answers_authenticated) {
  auto client = connect(gateway);
  auto answer = request(*client, auth_frame(token("u1", "writer", R"(["w1","w2"])")));
  AW_REQUIRE_OK(answer);
  BOOST_TEST(answer->status() == "authenticated");
  BOOST_TEST(str_of(*answer, "payload.subject") == "u1");
  BOOST_TEST(str_of(*answer, "payload.role") == "writer");
  BOOST_TEST(answer->json_at("payload.worlds") == R"(["w1","w2"])");
  BOOST_TEST(answer->has("payload.expiresAt"));
  BOOST_TEST(ping_pong(*client));
}

BOOST_AUTO_TEST_CASE(auth_frame_bad_or_expired_is_unauthorized_then_4001) {
  struct Case {
    std::string jwt;
    std::string text;
  };
  const std::string bad = token("u1", "admin", R"(["*"])") + "x";
  for (const Case& c : {Case{bad, "Invalid token"}, Case{token("u1", "admin", R"(["*"])", -3600), "Token expired"},
                        Case{"not-a-jwt", "Invalid token"}}) {
    auto client = connect(gateway);
    auto error = request(*client, auth_frame(c.jwt));
    AW_REQUIRE_OK(error);
    check_error_frame(*error, "unauthorized", c.text);
    auto closed = client->wait_closed();
    BOOST_REQUIRE(closed.has_value());
    BOOST_TEST(closed->remote_code == 4001);
  }
  BOOST_TEST(metric(gateway, "agentworld_auth_failures_total", "reason", "malformed") >= 1);
}

BOOST_AUTO_TEST_CASE(expiry_on_a_live_connection_closes_4002_unless_refreshed) {
  // exp has a granularity of one second: a token of 2 s lives between 1 and 2 s from now.
  auto expiring = connect_as(token("short", "reader", R"(["*"])", 2));
  auto refreshed = connect_as(token("short", "reader", R"(["*"])", 2));
  auto again = request(*refreshed, auth_frame(token("short", "reader", R"(["*"])", 3600)));
  AW_REQUIRE_OK(again);
  BOOST_TEST(again->status() == "authenticated");
  auto closed = expiring->wait_closed(Millis(6000));
  BOOST_REQUIRE_MESSAGE(closed.has_value(), "expired token was not closed");
  BOOST_TEST(closed->remote_code == 4002);
  // The refreshed connection outlives the first token by a full heartbeat tick.
  BOOST_TEST(!refreshed->wait_closed(Millis(1200)).has_value());
  BOOST_TEST(ping_pong(*refreshed));
}

BOOST_AUTO_TEST_CASE(refresh_drops_subscriptions_of_worlds_no_longer_allowed) {
  auto root = admin();
  AW_REQUIRE_OK(create_world(*root, "Auth Refresh A"));
  AW_REQUIRE_OK(create_world(*root, "Auth Refresh B"));
  auto client = connect_as(token("r", "reader", R"(["auth-refresh-a","auth-refresh-b"])"));
  require_subscribed(*client, "auth-refresh-a");
  require_subscribed(*client, "auth-refresh-b");
  auto answer = request(*client, auth_frame(token("r", "reader", R"(["auth-refresh-a"])")));
  AW_REQUIRE_OK(answer);
  BOOST_TEST(answer->status() == "authenticated");
  auto dropped = client->wait_for(has_status("unsubscribed"));
  BOOST_REQUIRE(dropped.has_value());
  BOOST_TEST(str_of(*dropped, "worldId") == "auth-refresh-b");
  BOOST_TEST(str_of(*dropped, "payload.reason") == "forbidden");
  auto me = require_success(*client, "whoami");
  BOOST_TEST(me.status.json_at("payload.data.worlds") == R"(["auth-refresh-a"])");
  BOOST_TEST(me.data_array_size("subscriptions").value_or(0) == 1u);
  // A failed refresh keeps the connection and its claims.
  auto failed = request(*client, auth_frame("garbage"));
  AW_REQUIRE_OK(failed);
  check_error_frame(*failed, "unauthorized", "Invalid token");
  BOOST_TEST(ping_pong(*client));
  BOOST_TEST(require_success(*client, "get-world", JsonObject(), "auth-refresh-a").ok());
}

BOOST_AUTO_TEST_CASE(worlds_outside_the_claim_are_forbidden) {
  auto root = admin();
  AW_REQUIRE_OK(create_world(*root, "Auth Scope Mine"));
  AW_REQUIRE_OK(create_world(*root, "Auth Scope Theirs"));
  auto client = connect_as(token("scoped", "admin", R"(["auth-scope-mine"])"));
  auto sub = request(*client, JsonObject().set("type", "subscribe").set("worldId", "auth-scope-theirs"));
  AW_REQUIRE_OK(sub);
  check_error_frame(*sub, "forbidden", "Access to world 'auth-scope-theirs' denied");
  require_failure(*client, "get-world", JsonObject(), "auth-scope-theirs", "forbidden",
                  "Access to world 'auth-scope-theirs' denied");
  require_failure(*client, "create-world", JsonObject().set("name", "Auth Scope New"), std::nullopt, "forbidden",
                  "Access to world 'auth-scope-new' denied");
  auto msg = request(*client, JsonObject()
                                  .set("type", "message")
                                  .set("worldId", "auth-scope-theirs")
                                  .set("messageId", "scope-m1")
                                  .set("payload", JsonObject().set("content", "hi")));
  AW_REQUIRE_OK(msg);
  check_error_frame(*msg, "forbidden", "Access to world 'auth-scope-theirs' denied");
  // Allowed world works; list-worlds shows only allowed worlds.
  require_subscribed(*client, "auth-scope-mine");
  auto list = require_success(*client, "list-worlds");
  BOOST_TEST(list.data_array_size().value_or(99) == 1u);
  BOOST_TEST(list.data_string("0.id").value_or("") == "auth-scope-mine");
}

BOOST_AUTO_TEST_CASE(roles_limit_frames_and_commands) {
  auto root = admin();
  AW_REQUIRE_OK(create_world(*root, "Auth Roles"));
  const std::string world = "auth-roles";
  auto reader = connect_as(token("rd", "reader", R"(["auth-roles"])"));
  auto message = [&](WsTestClient& c, const std::string& id) {
    return request(c, JsonObject()
                          .set("type", "message")
                          .set("worldId", world)
                          .set("messageId", id)
                          .set("payload", JsonObject().set("content", "hello")));
  };
  auto refused = message(*reader, "roles-m1");
  AW_REQUIRE_OK(refused);
  check_error_frame(*refused, "forbidden", "Role 'reader' may not use 'message'");
  BOOST_TEST(require_success(*reader, "get-world", JsonObject(), world).ok());
  require_failure(*reader, "cancel-message", JsonObject().set("messageId", "x"), world, "forbidden",
                  "Role 'reader' may not use 'cancel-message'");

  auto writer = connect_as(token("wr", "writer", R"(["auth-roles"])"));
  auto queued = message(*writer, "roles-m2");
  AW_REQUIRE_OK(queued);
  BOOST_TEST(queued->status() == "queued");
  require_failure(*writer, "create-agent", JsonObject().set("name", "Nope"), world, "forbidden",
                  "Role 'writer' may not use 'create-agent'");
  require_failure(*writer, "queue-status", JsonObject(), world, "forbidden",
                  "Role 'writer' may not use 'queue-status'");
  BOOST_TEST(require_success(*root, "queue-status", JsonObject(), world).ok());
  BOOST_TEST(metric(gateway, "agentworld_ws_errors_total", "code", "forbidden") >= 3);
}

BOOST_AUTO_TEST_CASE(whoami_reports_the_claims) {
  auto client = connect_as(token("who", "writer", R"(["w-a","w-b"])"));
  auto me = require_success(*client, "whoami");
  BOOST_TEST(me.message() == "Authenticated as 'who'");
  BOOST_TEST(me.status.json_at("payload.data.authenticated") == "true");
  BOOST_TEST(me.data_string("authMode").value_or("") == "required");
  BOOST_TEST(me.data_string("subject").value_or("") == "who");
  BOOST_TEST(me.data_string("role").value_or("") == "writer");
  BOOST_TEST(me.status.json_at("payload.data.worlds") == R"(["w-a","w-b"])");
  BOOST_TEST(me.data_string("expiresAt").has_value());
  BOOST_TEST(!me.data_string("connectionId").value_or("").empty());
}

BOOST_AUTO_TEST_CASE(tokens_are_never_logged) {
  const std::string good = token("logged", "admin", R"(["*"])");
  const std::string bad = token("logged", "admin", R"(["*"])", -3600);
  auto by_header = connect(gateway, {}, {{"Authorization", "Bearer " + good}});
  BOOST_TEST(require_success(*by_header, "whoami").ok());
  auto by_frame = connect_as(good);
  WsTestClient refused;
  BOOST_TEST(!refused.connect(gateway.url(), {{"Authorization", "Bearer " + bad}}).is_ok());
  auto failing = connect(gateway);
  AW_REQUIRE_OK(failing->send_text(auth_frame(bad).str()));
  BOOST_REQUIRE(failing->wait_closed().has_value());
  const std::string log = gateway.stderr_text();
  BOOST_TEST(!log.empty());  // trace logging is on: the check below is not vacuous
  for (const std::string& jwt : {good, bad}) {
    const std::string signature = jwt.substr(jwt.rfind('.') + 1);
    BOOST_TEST(log.find(signature) == std::string::npos, "token signature found in the gateway log");
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(auth_off, GatewayFixture)

BOOST_AUTO_TEST_CASE(whoami_and_auth_frame_without_auth) {
  GatewayProcess& gateway = shared("commands");
  auto client = connect(gateway);
  auto me = require_success(*client, "whoami");
  BOOST_TEST(me.message() == "Authentication disabled");
  BOOST_TEST(me.data_string("authMode").value_or("") == "off");
  BOOST_TEST(me.data_string("role").value_or("") == "admin");
  BOOST_TEST(me.status.json_at("payload.data.worlds") == R"(["*"])");
  // A Bearer header is ignored, valid or not, when auth is off.
  auto with_header = connect(gateway, {}, {{"Authorization", "Bearer garbage"}});
  BOOST_TEST(ping_pong(*with_header));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
