// AW_TOKEN: the client library and aw-cli authenticate with a bearer token on the upgrade (ws-protocol.md §3.2);
// a refused token is a terminal failure, reported as `unauthorized`.
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "client/client.h"
#include "tests/integration/client/client_fixture.h"
#include "tests/integration/client/tool_process.h"
#include "tests/support/jwt_mint.h"

namespace aw::test {
namespace {

std::string admin_token() {
  const auto exp = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch() + std::chrono::hours(1))
                       .count();
  return mint_jwt(R"({"sub":"cli-user","role":"admin","worlds":["*"],"exp":)" + std::to_string(exp) + "}");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_auth)

BOOST_AUTO_TEST_CASE(token_is_sent_and_a_bad_one_is_unauthorized) {
  auto gw = start_gateway({{"AW_AUTH", "required"}, {"AW_AUTH_JWT_SECRET", kTestJwtSecret}});
  auto options = options_for(*gw);
  options.token = admin_token();
  client::Client good(options, {});
  BOOST_TEST_REQUIRE(good.start(Millis(5000)).is_ok());
  auto who = good.command("", "whoami").get();
  BOOST_TEST_REQUIRE(who.is_ok(), who.status().message());
  const json::Value* data = json::find(who->payload(), "data");
  BOOST_TEST_REQUIRE(data != nullptr);
  BOOST_TEST(json::get_string(*data, "subject").value_or("") == "cli-user");
  BOOST_TEST(json::get_bool(*data, "authenticated").value_or(false));

  options.token = "not.a.token";
  client::Client bad(options, {});
  Status s = bad.start(Millis(5000));
  BOOST_TEST(s.code() == "unauthorized", s.message());

  auto cli =
      run_tool({AW_CLI_BINARY, "-c", "/worlds"}, {{"AW_URL", gw->url()}, {"AW_TOKEN", admin_token()}}, Millis(20000));
  BOOST_TEST(cli.exit_status == 0, cli.out + cli.err);
  BOOST_TEST(cli.out.find("No worlds") != std::string::npos, cli.out);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
