// Client shutdown: connect/disconnect cycles in every way a program ends a client (close(), the destructor alone,
// with requests and subscriptions in flight, during a reconnect backoff, with a gateway that never answers the
// close), each bounded by a deadline; and aw-cli started over and over while the test process has busy client
// threads (the setting of the once-seen "aw-cli hang at shutdown", docs/client.md).
#include <signal.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <future>

#include "client/client.h"
#include "tests/integration/client/client_fixture.h"
#include "tests/integration/client/tool_process.h"
#include "tests/support/jwt_mint.h"

namespace aw::test {
namespace {

using SteadyClock = std::chrono::steady_clock;

Millis since(SteadyClock::time_point t0) { return std::chrono::duration_cast<Millis>(SteadyClock::now() - t0); }

constexpr int kCycles = 50;
// close() waits at most 2.5 s for the closing handshake; a cycle against a live gateway takes far less.
constexpr Millis kCycleDeadline{2000};

}  // namespace

BOOST_AUTO_TEST_SUITE(client_shutdown)

BOOST_AUTO_TEST_CASE(connect_disconnect_cycles_end_promptly_every_way) {
  auto gw = start_gateway();
  {
    client::Client setup(options_for(*gw), {});
    BOOST_TEST_REQUIRE(setup.start(Millis(5000)).is_ok());
    BOOST_TEST_REQUIRE(setup.command("", "create-world", "{\"name\":\"Cycles\"}").get().is_ok());
  }
  const auto suite_start = SteadyClock::now();
  for (int i = 0; i < kCycles; ++i) {
    const auto t0 = SteadyClock::now();
    std::future<Result<client::ServerFrame>> in_flight;
    {
      std::atomic<int> frames{0};
      client::Handlers h;
      h.on_frame = [&](const client::ServerFrame&) { ++frames; };
      client::Client c(options_for(*gw), std::move(h));
      BOOST_TEST_REQUIRE(c.start(Millis(5000)).is_ok(), "cycle " << i);
      switch (i % 4) {
        case 0:  // a request answered, then close() and the destructor
          BOOST_TEST_REQUIRE(c.command("", "list-worlds").get().is_ok());
          c.close();
          break;
        case 1:  // a subscription, destructor only
          BOOST_TEST_REQUIRE(c.subscribe("cycles", std::nullopt).get().is_ok());
          break;
        case 2:  // a request still in flight when the client goes away
          in_flight = c.command("cycles", "export-world");
          break;
        default:  // close() twice, then a request on the closed client
          c.close();
          c.close();
          BOOST_TEST(c.command("", "list-worlds").get().status().code() == "closed");
          break;
      }
    }
    if (in_flight.valid()) {
      BOOST_TEST_REQUIRE((in_flight.wait_for(Millis(0)) == std::future_status::ready));  // answered or failed
      auto r = in_flight.get();
      BOOST_TEST((r.is_ok() || r.status().code() == "closed"), r.status().code());
    }
    BOOST_TEST_REQUIRE((since(t0) < kCycleDeadline), "cycle " << i << " took " << since(t0).count() << " ms");
  }
  BOOST_TEST_MESSAGE(kCycles << " cycles in " << since(suite_start).count() << " ms");
}

BOOST_AUTO_TEST_CASE(close_during_reconnect_backoff_and_with_a_silent_gateway_is_bounded) {
  auto gw = start_gateway();
  {
    // Nothing listens: the client is between attempts when it is closed.
    auto options = options_for(*gw);
    options.url = "ws://127.0.0.1:1/";
    client::Client c(options, {});
    BOOST_TEST(!c.start(Millis(5000)).is_ok());
    const auto t0 = SteadyClock::now();
    c.close();
    BOOST_TEST((since(t0) < Millis(1000)));
  }
  {
    // A stopped gateway never answers the close: close() gives up after its grace, the destructor still returns.
    client::Client c(options_for(*gw), {});
    BOOST_TEST_REQUIRE(c.start(Millis(5000)).is_ok());
    BOOST_TEST_REQUIRE(gw->send_signal(SIGSTOP).is_ok());
    auto pending = c.command("", "list-worlds");
    const auto t0 = SteadyClock::now();
    c.close();
    BOOST_TEST(pending.get().status().code() == "closed");
    BOOST_TEST((since(t0) < Millis(4000)));
    BOOST_TEST_REQUIRE(gw->send_signal(SIGCONT).is_ok());
  }
  {
    // Destroyed while its first attempt may still be connecting.
    client::Client c(options_for(*gw), {});
    const auto t0 = SteadyClock::now();
    (void)c.start(Millis(0));
    c.close();
    BOOST_TEST((since(t0) < Millis(3000)));
  }
}

BOOST_AUTO_TEST_CASE(aw_cli_starts_and_exits_repeatedly_while_this_process_has_busy_clients) {
  auto gw = start_gateway({{"AW_AUTH", "required"}, {"AW_AUTH_JWT_SECRET", kTestJwtSecret}});
  const auto exp = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch() + std::chrono::hours(1))
                       .count();
  const std::string token =
      mint_jwt(R"({"sub":"cycler","role":"admin","worlds":["*"],"exp":)" + std::to_string(exp) + "}");
  auto options = options_for(*gw);
  options.token = token;
  client::Client busy(options, {});
  BOOST_TEST_REQUIRE(busy.start(Millis(5000)).is_ok());
  BOOST_TEST_REQUIRE(busy.command("", "create-world", "{\"name\":\"Busy\"}").get().is_ok());
  // Keep this process's io threads allocating while the test forks aw-cli.
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    int i = 0;
    while (!stop) {
      client::Client c(options, {});
      if (c.start(Millis(5000)))
        (void)c.command("busy", "create-agent", "{\"name\":\"a" + std::to_string(i++) + "\"}").get();
    }
  });
  constexpr int kRuns = 15;
  int ok = 0;
  for (int i = 0; i < kRuns; ++i) {
    auto r = run_tool({AW_CLI_BINARY, "-c", "/worlds"}, {{"AW_URL", gw->url()}, {"AW_TOKEN", token}}, Millis(15000));
    BOOST_TEST(!r.timed_out, "run " << i << " did not end: " << r.out << r.err);
    BOOST_TEST(r.exit_status == 0, "run " << i << ": " << r.out << r.err);
    ok += r.exit_status == 0 && r.out.find("busy") != std::string::npos ? 1 : 0;
  }
  stop = true;
  churn.join();
  BOOST_TEST(ok == kRuns);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
