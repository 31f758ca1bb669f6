// Per-connection and per-gateway limits (ws-protocol.md §3.1, §3.3, §3.4): rate limiting with close 4029, the
// connection cap (HTTP 503), Origin checks (HTTP 403), the outbound cap for a consumer that does not read (4008),
// and the heartbeat timeout (4009). Each case starts its own gateway with the small settings it needs.
#include <boost/test/unit_test.hpp>

#include "tests/integration/assertions.h"

namespace aw::test {
namespace {

// Upgrade with these headers; the HTTP status of a refusal, 101 when accepted.
int upgrade_status(GatewayProcess& gateway, const Headers& headers) {
  RawWsClient raw;
  Status s = raw.connect(gateway.host(), gateway.port(), "/", headers);
  if (s) return 101;
  return raw.http_status();
}

std::string list_worlds_frame(const std::string& request_id) {
  return JsonObject()
      .set("type", "command")
      .set("requestId", request_id)
      .set("payload", JsonObject().set("command", "list-worlds"))
      .str();
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(limits, GatewayFixture)

BOOST_AUTO_TEST_CASE(rate_limit_refuses_then_closes_4029_and_ping_is_free) {
  GatewayProcess& gateway = start_own({{"AW_RATE_LIMIT_RPS", "1"}, {"AW_RATE_LIMIT_BURST", "5"}});

  // ping costs nothing: far more pings than the burst, then a command still has its tokens.
  auto pinger = connect(gateway);
  for (int i = 0; i < 30; ++i) AW_REQUIRE_OK(pinger->send_text(R"({"type":"ping"})"));
  for (int i = 0; i < 30; ++i) BOOST_REQUIRE_MESSAGE(pinger->wait_for(has_type("pong")).has_value(), "pong " << i);
  BOOST_TEST(require_success(*pinger, "list-worlds").ok());

  auto client = connect(gateway);
  // The burst: 5 frames are served.
  for (int i = 0; i < 5; ++i) BOOST_TEST(require_success(*client, "list-worlds").ok());
  // The 6th is refused with rate_limited and the retry delay; as a command it is the error pair of §4.6.
  auto limited = run_command(*client, "list-worlds");
  AW_REQUIRE_OK(limited);
  check_failure_reply(*limited, "list-worlds", "rate_limited", "Rate limit exceeded");
  BOOST_TEST(limited->error->has("details"), "rate_limited without details: " << limited->error->text);
  // `burst` consecutive refused frames close the connection with 4029.
  for (int i = 0; i < 10 && client->is_open(); ++i)
    (void)client->send_text(list_worlds_frame("flood-" + std::to_string(i)));
  auto closed = client->wait_closed();
  BOOST_REQUIRE_MESSAGE(closed.has_value(), "flooding client was not closed");
  BOOST_TEST(closed->remote_code == 4029);
  // Other connections are unaffected.
  BOOST_TEST(ping_pong(*pinger));
  BOOST_TEST(wait_until([&] {
    return read_metric(gateway, "agentworld_ws_closes_total", {{"code", "4029"}}).value_or(0) >= 1.0;
  }));
}

BOOST_AUTO_TEST_CASE(connection_cap_refuses_upgrades_with_503) {
  GatewayProcess& gateway = start_own({{"AW_MAX_CONNECTIONS", "2"}});
  auto first = connect(gateway);
  auto second = connect(gateway);
  WsTestClient third;
  Status refused = third.connect(gateway.url());
  BOOST_TEST(!refused.is_ok());
  BOOST_TEST(third.refused_http_status() == 503);
  // Plain HTTP still answers.
  BOOST_TEST(http_get_ok(gateway, "/health").status == 200);
  // A freed place can be taken again (the gateway notices the close asynchronously).
  first.reset();
  BOOST_TEST(wait_until([&] { return upgrade_status(gateway, {}) == 101; }));
  BOOST_TEST(ping_pong(*second));
}

BOOST_AUTO_TEST_CASE(default_origin_rule_allows_local_origins_only) {
  GatewayProcess& gateway = start_own();
  const std::string same_host = "http://127.0.0.1:" + std::to_string(gateway.port());
  for (const std::string& origin :
       {std::string("http://localhost:5173"), std::string("https://localhost"), std::string("http://127.0.0.1:8080"),
        std::string("http://[::1]:3000"), same_host}) {
    BOOST_TEST(upgrade_status(gateway, {{"Origin", origin}}) == 101, "origin " << origin);
  }
  BOOST_TEST(upgrade_status(gateway, {}) == 101);  // no Origin: non-browser clients
  for (const std::string& origin :
       {std::string("https://evil.example.com"), std::string("http://localhost.evil.com"), std::string("null")}) {
    BOOST_TEST(upgrade_status(gateway, {{"Origin", origin}}) == 403, "origin " << origin);
  }
  // Origin equal to Host: trusted for localhost and IP literals, not for a DNS name (DNS rebinding can forge it).
  const std::string port = std::to_string(gateway.port());
  BOOST_TEST(upgrade_status(gateway, {{"Host", "localhost:" + port}, {"Origin", "http://localhost:" + port}}) == 101);
  BOOST_TEST(upgrade_status(
                 gateway, {{"Host", "gw.example.test:" + port}, {"Origin", "http://gw.example.test:" + port}}) == 403);
  // Through websocketpp as well: the refusal is visible to a normal client.
  WsTestClient evil;
  BOOST_TEST(!evil.connect(gateway.url(), {{"Origin", "https://evil.example.com"}}).is_ok());
  BOOST_TEST(evil.refused_http_status() == 403);
}

BOOST_AUTO_TEST_CASE(allowed_origins_list_replaces_the_localhost_rule) {
  GatewayProcess& gateway = start_own({{"AW_ALLOWED_ORIGINS", "https://app.example.com,https://ops.example.com"}});
  BOOST_TEST(upgrade_status(gateway, {{"Origin", "https://app.example.com"}}) == 101);
  BOOST_TEST(upgrade_status(gateway, {{"Origin", "https://ops.example.com"}}) == 101);
  BOOST_TEST(upgrade_status(gateway, {{"Origin", "http://localhost:5173"}}) == 403);
  BOOST_TEST(upgrade_status(gateway, {{"Origin", "https://evil.example.com"}}) == 403);
  BOOST_TEST(upgrade_status(gateway, {}) == 101);
  const std::string port = std::to_string(gateway.port());
  BOOST_TEST(upgrade_status(
                 gateway, {{"Host", "gw.example.test:" + port}, {"Origin", "http://gw.example.test:" + port}}) == 403);
  BOOST_TEST(upgrade_status(gateway, {{"Host", "localhost:" + port}, {"Origin", "http://localhost:" + port}}) == 101);
  // The gateway's own pages (same host, an IP literal) stay allowed.
  BOOST_TEST(upgrade_status(gateway, {{"Origin", "http://127.0.0.1:" + std::to_string(gateway.port())}}) == 101);
}

BOOST_AUTO_TEST_CASE(allowed_origins_star_allows_every_origin) {
  GatewayProcess& gateway = start_own({{"AW_ALLOWED_ORIGINS", "*"}});
  BOOST_TEST(upgrade_status(gateway, {{"Origin", "https://evil.example.com"}}) == 101);
  BOOST_TEST(upgrade_status(gateway, {{"Origin", "http://localhost:5173"}}) == 101);
}

BOOST_AUTO_TEST_CASE(oversized_direct_response_is_result_too_large) {
  GatewayProcess& gateway = start_own({{"AW_MAX_RESPONSE_BYTES", "4096"}});
  auto client = connect(gateway);
  const std::string world = "big-result-world";
  AW_REQUIRE_OK(create_world(*client, "Big Result World"));
  const std::string prompt(1500, 'q');
  for (int i = 0; i < 3; ++i) {
    require_success(*client, "create-agent",
                    JsonObject().set("id", "big-" + std::to_string(i)).set("name", "Big").set("systemPrompt", prompt),
                    world);
  }
  // Three agents with 1500-byte prompts: list-agents is over 4096 bytes.
  require_failure(*client, "list-agents", JsonObject(), world, "result_too_large", "Result exceeds 4096 bytes");
  BOOST_TEST(ping_pong(*client));
  BOOST_TEST(require_success(*client, "get-agent", JsonObject().set("agentId", "big-0"), world).ok());
}

BOOST_AUTO_TEST_CASE(slow_consumer_is_closed_4008_and_the_gateway_stays_healthy) {
  constexpr int kOutboundCap = 64 * 1024;
  GatewayProcess& gateway =
      start_own({{"AW_MAX_OUTBOUND_BYTES", std::to_string(kOutboundCap)}, {"AW_RATE_LIMIT_RPS", "0"}});
  auto writer = connect(gateway);
  const std::string world = "slow-consumer-world";
  AW_REQUIRE_OK(create_world(*writer, "Slow Consumer World"));

  // The slow consumer: a raw client with a small receive window that reads its ack and then nothing.
  RawWsClient slow(RawWsClient::Options{4096});
  AW_REQUIRE_OK(slow.connect(gateway.host(), gateway.port()));
  AW_REQUIRE_OK(slow.send_text(JsonObject().set("type", "subscribe").set("worldId", world).str()));
  auto ack = slow.read_frame();
  AW_REQUIRE_OK(ack);
  BOOST_REQUIRE(make_frame(ack->payload, false).status() == "subscribed");

  // Each agent with a 48 KiB prompt makes a crud frame of about that size for the slow consumer.
  const std::string prompt(48 * 1024, 'p');
  auto closed_4008 = [&] {
    return read_metric(gateway, "agentworld_ws_closes_total", {{"code", "4008"}}).value_or(0) >= 1.0;
  };
  int created = 0;
  for (; created < 400 && !closed_4008(); ++created) {
    require_success(
        *writer, "create-agent",
        JsonObject().set("id", "bulk-" + std::to_string(created)).set("name", "Bulk").set("systemPrompt", prompt),
        world);
  }
  BOOST_TEST_MESSAGE("slow consumer: " << created << " crud frames of ~48 KiB sent before the 4008 close");

  // What the slow consumer finally reads: crud frames in seq order without gaps (nothing silently dropped), then
  // the 4008 close frame, or a reset when the gateway dropped the socket.
  std::int64_t last_seq = 0;
  std::optional<int> close_code;
  for (;;) {
    auto frame = slow.read_frame(Millis(15000));
    if (!frame) {
      close_code = frame.status().code() == "timeout" ? std::optional<int>() : std::optional<int>(1006);
      break;
    }
    if (frame->opcode == 8) {
      close_code = frame->close_code();
      break;
    }
    const Frame parsed = make_frame(frame->payload, false);
    if (parsed.type() != "crud") continue;
    const std::int64_t seq = int_of(parsed, "seq");
    if (last_seq != 0) BOOST_TEST(seq == last_seq + 1, "gap in the slow consumer's frames");
    last_seq = seq;
  }
  BOOST_REQUIRE_MESSAGE(close_code.has_value(), "the slow consumer was never closed");
  BOOST_TEST_MESSAGE("slow consumer: read up to seq " << last_seq << ", then close code " << *close_code);
  BOOST_TEST((*close_code == 4008 || *close_code == 1006), "close code " << *close_code);
  BOOST_TEST(wait_until(closed_4008, Millis(10000)));

  // The gateway and the other connection are fine.
  BOOST_TEST(ping_pong(*writer));
  BOOST_TEST(http_get_ok(gateway, "/health").status == 200);
  auto fresh = connect(gateway);
  BOOST_TEST(require_success(*fresh, "list-agents", JsonObject(), world).data_array_size().value_or(0) ==
             static_cast<std::size_t>(created));
}

BOOST_AUTO_TEST_CASE(heartbeat_timeout_closes_silent_clients_4009) {
  GatewayProcess& gateway = start_own({{"WS_HEARTBEAT_INTERVAL", "200"}, {"WS_HEARTBEAT_TIMEOUT", "1000"}});
  // Answers control pings (the compat test's client: it never sends a JSON ping).
  auto answering = connect(gateway);
  // Answers nothing, but sends a JSON ping whenever it sees a control ping: data frames count as liveness.
  auto json_pinger = connect(gateway, WsTestClient::Options{false});
  // Silent, and does not even answer the close frame: the gateway drops its socket 1 s after the close (§3.3).
  RawWsClient raw_silent;
  AW_REQUIRE_OK(raw_silent.connect(gateway.host(), gateway.port()));

  // Three silent clients in a row: each must be closed with 4009, no sooner than the timeout. Together they prove
  // that the other two lived through more than three timeouts.
  for (int round = 0; round < 3; ++round) {
    auto silent = connect(gateway, WsTestClient::Options{false});
    const auto opened = Clock::now();
    std::optional<CloseInfo> closed;
    std::uint64_t seen_pings = json_pinger->pings_received();
    while (!(closed = silent->wait_closed(Millis(50)))) {
      if (json_pinger->pings_received() != seen_pings) {
        seen_pings = json_pinger->pings_received();
        AW_REQUIRE_OK(json_pinger->send_text(R"({"type":"ping"})"));
      }
      BOOST_REQUIRE_MESSAGE(Clock::now() - opened < Millis(8000), "silent client not closed in round " << round);
    }
    const auto lived = std::chrono::duration_cast<Millis>(Clock::now() - opened);
    BOOST_TEST(closed->remote_code == 4009, "round " << round);
    BOOST_TEST(lived.count() >= 900, "closed after only " << lived.count() << " ms");
    BOOST_TEST(silent->pings_received() >= 1u);  // the gateway did ping it
  }
  BOOST_TEST(answering->is_open());
  BOOST_TEST(ping_pong(*answering));
  BOOST_TEST(answering->pings_received() >= 3u);
  BOOST_TEST(json_pinger->is_open());
  BOOST_TEST(ping_pong(*json_pinger));
  // The raw client (opened before the rounds, so more than 3 s ago) got pings, then the 4009 close, then lost its
  // TCP connection although it never answered the close.
  int raw_pings = 0;
  int raw_close = 0;
  std::string raw_end;
  for (;;) {
    auto frame = raw_silent.read_frame(Millis(3000));
    if (!frame) {
      raw_end = frame.status().code();
      break;
    }
    if (frame->opcode == 9) ++raw_pings;
    if (frame->opcode == 8) raw_close = frame->close_code();
  }
  BOOST_TEST(raw_pings >= 1);
  BOOST_TEST(raw_close == 4009);
  BOOST_TEST((raw_end == "eof" || raw_end == "reset"), "after the close: " << raw_end);
  BOOST_TEST(read_metric(gateway, "agentworld_ws_closes_total", {{"code", "4009"}}).value_or(0) >= 4.0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
