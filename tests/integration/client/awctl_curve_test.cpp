// awctl with CURVE (bus-protocol.md §10, §11): `awctl keygen` prints a fresh Z85 pair; against a real aw-gateway
// with CURVE, an AW_ADMIN_CURVE_CLIENTS key runs `cancel` / `retry` / `purge`, a key only in AW_BUS_CURVE_CLIENTS reads
// but gets "read-only", no key gets no answer, and a half-configured awctl stops with status 2.
#include <boost/test/unit_test.hpp>
#include <map>
#include <sstream>
#include <string>

#include "common/bus/curve_keys.h"
#include "common/bus/curve_socket.h"
#include "tests/integration/client/client_fixture.h"
#include "tests/integration/client/tool_process.h"
#include "tests/support/protocol_helpers.h"
#include "tests/support/ws_test_client.h"

namespace aw::test {
namespace {

using Env = std::map<std::string, std::string>;

// The value after `label` on its own line of `text` ("" when absent).
std::string line_value(const std::string& text, const std::string& label) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.compare(0, label.size(), label) == 0) return line.substr(label.size());
  }
  return "";
}

aw::bus::CurveKeyPair new_pair() {
  auto pair = aw::bus::generate_curve_keypair();
  BOOST_TEST_REQUIRE(pair.is_ok(), pair.status().message());
  return pair.value();
}

ToolResult awctl(const Env& env, std::vector<std::string> args) {
  args.insert(args.begin(), AW_AWCTL_BINARY);
  return run_tool(args, env, Millis(15000));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(awctl_curve)

BOOST_AUTO_TEST_CASE(keygen_prints_a_fresh_z85_pair) {
  auto first = awctl({}, {"keygen"});
  BOOST_TEST_REQUIRE(first.exit_status == 0, first.err);
  const std::string public_key = line_value(first.out, "public-key: ");
  const std::string secret_key = line_value(first.out, "secret-key: ");
  BOOST_TEST(aw::bus::z85_decode_key(public_key).has_value(), first.out);
  BOOST_TEST(aw::bus::z85_decode_key(secret_key).has_value(), first.out);
  auto derived = aw::bus::curve_public_key(secret_key);
  BOOST_TEST_REQUIRE(derived.is_ok());
  BOOST_TEST(derived.value() == public_key);

  auto second = awctl({}, {"--json", "keygen"});
  BOOST_TEST_REQUIRE(second.exit_status == 0, second.err);
  BOOST_TEST(second.out.find("\"publicKey\":") != std::string::npos, second.out);
  BOOST_TEST(second.out.find(secret_key) == std::string::npos);  // a new pair every time
  BOOST_TEST(awctl({}, {"keygen", "extra"}).exit_status == 2);
}

BOOST_AUTO_TEST_CASE(mutations_need_an_admin_key) {
  const auto gateway_keys = new_pair();
  const auto reader = new_pair();
  const auto admin = new_pair();
  auto gw = start_gateway({{"AW_BUS_CURVE_SECRET_KEY", gateway_keys.secret_key},
                           {"AW_BUS_CURVE_CLIENTS", reader.public_key},
                           {"AW_ADMIN_CURVE_CLIENTS", admin.public_key}});
  // A world with one queued message (no processor runs it).
  WsTestClient ws;
  BOOST_TEST_REQUIRE(ws.connect(gw->url()).is_ok());
  auto created = run_command(ws, "create-world", JsonObject().set("name", "Curve Ctl"), std::nullopt);
  BOOST_TEST_REQUIRE(created.is_ok());
  const std::string world = created->data_string("id").value_or("");
  BOOST_TEST_REQUIRE(run_command(ws, "create-agent", JsonObject().set("name", "a1"), world).is_ok());
  auto queued = request(ws, JsonObject()
                                .set("type", "message")
                                .set("worldId", world)
                                .set("messageId", "m1")
                                .set("payload", JsonObject().set("content", "hi").set("sender", "human")));
  BOOST_TEST_REQUIRE(queued.is_ok());
  BOOST_TEST_REQUIRE(queued->status() == "queued");

  const std::string admin_url = gw->env().at("AW_ADMIN_BIND");
  const Env as_reader = {{"AW_ADMIN_URL", admin_url},
                         {"AW_BUS_CURVE_SECRET_KEY", reader.secret_key},
                         {"AW_BUS_CURVE_SERVER_KEY", gateway_keys.public_key}};
  Env as_admin = as_reader;
  as_admin["AW_BUS_CURVE_SECRET_KEY"] = admin.secret_key;

  auto health = awctl(as_reader, {"health"});
  BOOST_TEST(health.exit_status == 0, health.err);
  auto refused = awctl(as_reader, {"--world", world, "cancel", "m1"});
  BOOST_TEST(refused.exit_status == 1);
  BOOST_TEST(refused.err.find("read-only") != std::string::npos, refused.err);

  auto cancelled = awctl(as_admin, {"--json", "--world", world, "cancel", "m1"});
  BOOST_TEST(cancelled.exit_status == 0, cancelled.err);
  BOOST_TEST(cancelled.out.find("\"cancelled\":true") != std::string::npos, cancelled.out);
  // retry runs too (no longer "read-only"): the gateway answers that m1 did not fail.
  auto retry = awctl(as_admin, {"--world", world, "retry", "m1"});
  BOOST_TEST(retry.exit_status == 1);
  BOOST_TEST(retry.err.find("read-only") == std::string::npos, retry.err);
  BOOST_TEST(retry.err.find("failed state") != std::string::npos, retry.err);
  // purge (purge-failed over every world without --world): m1 was cancelled, not failed, so it is not purged.
  auto purge_one = awctl(as_admin, {"purge", "m1"});
  BOOST_TEST(purge_one.exit_status == 1);
  BOOST_TEST(purge_one.err.find("failed state") != std::string::npos, purge_one.err);
  auto purge_all = awctl(as_admin, {"--json", "purge", "--all"});
  BOOST_TEST(purge_all.exit_status == 0, purge_all.err);
  BOOST_TEST(purge_all.out.find("\"purged\":[]") != std::string::npos, purge_all.out);
  BOOST_TEST(awctl(as_admin, {"purge"}).exit_status == 2);            // neither an ID nor --all
  BOOST_TEST(awctl(as_reader, {"purge", "--all"}).exit_status == 1);  // read-only

  // The server key may come as a flag instead.
  Env flag_env = as_admin;
  flag_env.erase("AW_BUS_CURVE_SERVER_KEY");
  auto flagged = awctl(flag_env, {"--server-key", gateway_keys.public_key, "queue"});
  BOOST_TEST(flagged.exit_status == 0, flagged.err);
  // Half a configuration is a usage error; no key at all gets no answer (the handshake is refused).
  auto half = awctl(flag_env, {"queue"});
  BOOST_TEST(half.exit_status == 2);
  BOOST_TEST(half.err.find("AW_BUS_CURVE_SERVER_KEY") != std::string::npos, half.err);
  auto anonymous = awctl({{"AW_ADMIN_URL", admin_url}, {"AW_ADMIN_TIMEOUT_MS", "1000"}}, {"health"});
  BOOST_TEST(anonymous.exit_status == 3, anonymous.err);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
