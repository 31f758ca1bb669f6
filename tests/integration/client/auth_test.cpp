// Authentication from the client side (ws-protocol.md §3.2, §3.5): a token on the upgrade or in a first `auth`
// frame; a refused or expired token stops the client with a clear error instead of reconnecting with it; a token
// provider refreshes the token on the live connection before it expires and supplies a fresh one after close 4002.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "client/client.h"
#include "tests/integration/client/client_fixture.h"
#include "tests/integration/client/tool_process.h"
#include "tests/support/jwt_mint.h"

namespace aw::test {
namespace {

// A token for `sub` that expires `lifetime` from now (negative: already expired, but within the gateway's 30 s
// leeway, so it is accepted and then closed with 4002 on the gateway's next 1 s tick).
std::string token_for(const std::string& sub, std::chrono::seconds lifetime) {
  const auto exp =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch() + lifetime)
          .count();
  return mint_jwt(R"({"sub":")" + sub + R"(","role":"admin","worlds":["*"],"exp":)" + std::to_string(exp) + "}");
}

std::string admin_token() { return token_for("cli-user", std::chrono::hours(1)); }

std::unique_ptr<GatewayProcess> start_auth_gateway() {
  return start_gateway({{"AW_AUTH", "required"}, {"AW_AUTH_JWT_SECRET", kTestJwtSecret}});
}

std::string whoami_subject(client::Client& c) {
  auto who = c.command("", "whoami").get();
  if (!who) return "error: " + who.status().code();
  const json::Value* data = json::find(who->payload(), "data");
  return data != nullptr ? json::get_string(*data, "subject").value_or("") : "";
}

// Connection events, recorded from the io thread.
class ConnectionLog {
 public:
  void add(const client::ConnectionEvent& e) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      events_.push_back(e);
    }
    cv_.notify_all();
  }
  bool wait(const std::function<bool(const std::vector<client::ConnectionEvent>&)>& pred, Millis timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return pred(events_); });
  }
  std::vector<client::ConnectionEvent> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<client::ConnectionEvent> events_;
};

std::size_t count_opens(const std::vector<client::ConnectionEvent>& v) {
  std::size_t n = 0;
  for (const auto& e : v) n += e.kind == client::ConnectionEvent::Kind::kOpen ? 1 : 0;
  return n;
}

const client::ConnectionEvent* find_close(const std::vector<client::ConnectionEvent>& v, int code) {
  for (const auto& e : v) {
    if (e.kind == client::ConnectionEvent::Kind::kClosed && e.close_code == code) return &e;
  }
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_auth)

BOOST_AUTO_TEST_CASE(token_is_sent_and_a_bad_one_is_unauthorized) {
  auto gw = start_auth_gateway();
  auto options = options_for(*gw);
  options.token = admin_token();
  client::Client good(options, {});
  BOOST_TEST_REQUIRE(good.start(Millis(5000)).is_ok());
  BOOST_TEST(whoami_subject(good) == "cli-user");

  options.token = "not.a.token";
  client::Client bad(options, {});
  Status s = bad.start(Millis(5000));
  BOOST_TEST(s.code() == "unauthorized", s.message());
  BOOST_TEST(bad.last_error().code() == "unauthorized");

  auto cli =
      run_tool({AW_CLI_BINARY, "-c", "/worlds"}, {{"AW_URL", gw->url()}, {"AW_TOKEN", admin_token()}}, Millis(20000));
  BOOST_TEST(cli.exit_status == 0, cli.out + cli.err);
  BOOST_TEST(cli.out.find("No worlds") != std::string::npos, cli.out);
  auto refused =
      run_tool({AW_CLI_BINARY, "-c", "/worlds"}, {{"AW_URL", gw->url()}, {"AW_TOKEN", "not.a.token"}}, Millis(20000));
  BOOST_TEST(refused.exit_status == 2);
  BOOST_TEST(refused.err.find("(unauthorized)") != std::string::npos, refused.err);
}

BOOST_AUTO_TEST_CASE(auth_frame_delivery_authenticates_and_a_refused_token_stops) {
  auto gw = start_auth_gateway();
  auto options = options_for(*gw);
  options.auth_delivery = client::AuthDelivery::kFrame;
  options.token = admin_token();
  client::Client good(options, {});
  BOOST_TEST_REQUIRE(good.start(Millis(5000)).is_ok());
  BOOST_TEST(whoami_subject(good) == "cli-user");

  ConnectionLog log;
  client::Handlers h;
  h.on_connection = [&](const client::ConnectionEvent& e) { log.add(e); };
  options.token = token_for("someone", std::chrono::hours(-2));  // beyond the leeway: refused
  client::Client bad(options, std::move(h));
  Status s = bad.start(Millis(5000));
  BOOST_TEST(s.code() == "unauthorized", s.message());
  BOOST_TEST_REQUIRE(log.wait([](const auto& v) { return !v.empty(); }, Millis(5000)));
  const auto first = log.events().front();
  BOOST_TEST(!first.will_retry);
  BOOST_TEST(first.error.code() == "unauthorized");
  BOOST_TEST(bad.last_error().code() == "unauthorized");
  BOOST_TEST(!bad.is_connected());
  // No reconnect with the refused token: with reconnects 100 ms apart, several would have happened by now.
  BOOST_TEST(!log.wait([](const auto& v) { return v.size() > 1; }, Millis(800)));

  auto cli = run_tool({AW_CLI_BINARY, "-c", "/worlds"},
                      {{"AW_URL", gw->url()}, {"AW_TOKEN", admin_token()}, {"AW_CLIENT_AUTH_DELIVERY", "frame"}},
                      Millis(20000));
  BOOST_TEST(cli.exit_status == 0, cli.out + cli.err);
  BOOST_TEST(cli.out.find("No worlds") != std::string::npos, cli.out);
  auto bad_setting = run_tool({AW_CLI_BINARY, "-c", "/worlds"},
                              {{"AW_URL", gw->url()}, {"AW_CLIENT_AUTH_DELIVERY", "query"}}, Millis(20000));
  BOOST_TEST(bad_setting.exit_status == 2);
  BOOST_TEST(bad_setting.err.find("AW_CLIENT_AUTH_DELIVERY") != std::string::npos, bad_setting.err);
}

BOOST_AUTO_TEST_CASE(expired_token_closes_4002_and_without_a_provider_the_client_stops) {
  auto gw = start_auth_gateway();
  ConnectionLog log;
  client::Handlers h;
  h.on_connection = [&](const client::ConnectionEvent& e) { log.add(e); };
  auto options = options_for(*gw);
  options.token = token_for("short", std::chrono::seconds(-1));
  client::Client c(options, std::move(h));
  BOOST_TEST_REQUIRE(c.start(Millis(5000)).is_ok());
  BOOST_TEST_REQUIRE(log.wait([](const auto& v) { return find_close(v, 4002) != nullptr; }, Millis(5000)));
  const client::ConnectionEvent closed = *find_close(log.events(), 4002);
  BOOST_TEST(!closed.will_retry);
  BOOST_TEST(closed.error.code() == "token_expired");
  BOOST_TEST(c.last_error().code() == "token_expired");
  BOOST_TEST(!log.wait([](const auto& v) { return count_opens(v) > 1; }, Millis(800)));
  auto r = c.command("", "list-worlds").get();
  BOOST_TEST(r.status().code() == "disconnected");
}

BOOST_AUTO_TEST_CASE(provider_refreshes_the_token_on_the_live_connection_before_it_expires) {
  auto gw = start_auth_gateway();
  ConnectionLog log;
  Recorder frames;
  client::Handlers h;
  h.on_connection = [&](const client::ConnectionEvent& e) { log.add(e); };
  h.on_frame = [&](const client::ServerFrame& f) { frames.add(f); };
  std::atomic<int> calls{0};
  const auto short_lived = std::chrono::seconds(3);
  const auto short_exp = std::chrono::system_clock::now() + short_lived;
  auto options = options_for(*gw);
  options.token_refresh_margin = Millis(2000);  // refresh about 1 s after connecting
  options.token_provider = [&]() -> Result<std::string> {
    return ++calls == 1 ? token_for("short", short_lived) : token_for("long", std::chrono::hours(1));
  };
  client::Client c(options, std::move(h));
  BOOST_TEST_REQUIRE(c.start(Millis(5000)).is_ok());
  BOOST_TEST(whoami_subject(c) == "short");
  BOOST_TEST_REQUIRE(frames.wait(
      [](const auto& v) {
        for (const auto& f : v) {
          if (f.status == "authenticated") return true;
        }
        return false;
      },
      Millis(5000)));
  BOOST_TEST(whoami_subject(c) == "long");
  // The first token's exp passes (the gateway checks every second): the connection stays open.
  BOOST_TEST_REQUIRE(
      wait_until([&] { return std::chrono::system_clock::now() > short_exp + Millis(1500); }, Millis(10000)));
  BOOST_TEST(find_close(log.events(), 4002) == nullptr);
  BOOST_TEST(c.is_connected());
  BOOST_TEST(count_opens(log.events()) == 1u);
  BOOST_TEST(calls.load() == 2);

  // authenticate(): an explicit refresh; a refused one fails at once with the gateway's code.
  auto explicit_refresh = c.authenticate(token_for("manual", std::chrono::hours(1))).get();
  BOOST_TEST_REQUIRE(explicit_refresh.is_ok(), explicit_refresh.status().message());
  BOOST_TEST(explicit_refresh->payload_string("subject").value_or("") == "manual");
}

BOOST_AUTO_TEST_CASE(after_4002_a_provider_supplies_a_fresh_token_and_the_client_resubscribes) {
  auto gw = start_auth_gateway();
  {
    client::ClientOptions setup = options_for(*gw);
    setup.token = admin_token();
    client::Client admin(setup, {});
    BOOST_TEST_REQUIRE(admin.start(Millis(5000)).is_ok());
    BOOST_TEST_REQUIRE(admin.command("", "create-world", "{\"name\":\"Kept\"}").get().is_ok());
  }
  ConnectionLog log;
  client::Handlers h;
  h.on_connection = [&](const client::ConnectionEvent& e) { log.add(e); };
  std::atomic<int> calls{0};
  auto options = options_for(*gw);
  options.token_refresh_margin = Millis(0);  // no refresh before exp: let the gateway close with 4002
  options.token_provider = [&]() -> Result<std::string> {
    return ++calls == 1 ? token_for("old", std::chrono::seconds(-1)) : token_for("new", std::chrono::hours(1));
  };
  client::Client c(options, std::move(h));
  BOOST_TEST_REQUIRE(c.start(Millis(5000)).is_ok());
  // The 4002 may already race with this subscribe; the subscription is kept for the resubscribe either way.
  auto sub = c.subscribe("kept", std::nullopt).get();
  BOOST_TEST((sub.is_ok() || sub.status().code() == "disconnected"), sub.status().message());
  BOOST_TEST_REQUIRE(log.wait([](const auto& v) { return count_opens(v) >= 2; }, Millis(10000)));
  const client::ConnectionEvent* closed = find_close(log.events(), 4002);
  BOOST_TEST_REQUIRE(closed != nullptr);
  BOOST_TEST(closed->will_retry);
  BOOST_TEST(c.last_error().is_ok());
  BOOST_TEST(whoami_subject(c) == "new");
  auto who = c.command("", "whoami").get();
  BOOST_TEST_REQUIRE(who.is_ok());
  BOOST_TEST(who->raw.find(R"("worldId":"kept")") != std::string::npos, who->raw);  // resubscribed
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
