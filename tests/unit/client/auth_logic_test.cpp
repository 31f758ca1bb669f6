// The client's socket-free decisions: what a close means (close_policy), which token an attempt sends and that a
// refused one is never sent again (token_source), when a token is refreshed (token_expiry), and how received frames
// are routed and resubscribes planned (frame_router).
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <vector>

#include "client/close_policy.h"
#include "client/frame_router.h"
#include "client/token_expiry.h"
#include "client/token_source.h"
#include "tests/support/jwt_mint.h"

namespace aw::client {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

EndedConnection closed_with(int code, bool provider = false) {
  EndedConnection e;
  e.close_code = code;
  e.has_token_provider = provider;
  return e;
}

// An unsigned token with the given claims: the client only reads `exp`, it never verifies.
std::string token_with_claims(const std::string& claims) {
  return test::base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." + test::base64url_encode(claims) + ".sig";
}

ServerFrame frame(const std::string& text) {
  auto f = parse_server_frame(text);
  BOOST_TEST_REQUIRE(f.is_ok(), f.status().message());
  return std::move(f).value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(close_policy)

BOOST_AUTO_TEST_CASE(retryable_terminal_and_rate_limited_closes) {
  for (int code : {4000, 4008, 4009, 4011, 1006, 1001, 0}) {
    auto o = decide_after_close(closed_with(code));
    BOOST_TEST(o.reconnect, code);
    BOOST_TEST(o.error.is_ok());
    BOOST_TEST(o.floor.count() == 0);
  }
  for (int code : {1000, 1007}) {
    auto o = decide_after_close(closed_with(code));
    BOOST_TEST(!o.reconnect, code);
    BOOST_TEST(o.error.is_ok());
  }
  auto rate = decide_after_close(closed_with(4029));
  BOOST_TEST(rate.reconnect);
  BOOST_TEST(rate.floor.count() == kRateLimitFloor.count());
}

BOOST_AUTO_TEST_CASE(refused_or_expired_token_stops_unless_a_provider_can_give_another) {
  auto unauthorized = decide_after_close(closed_with(4001));
  BOOST_TEST(!unauthorized.reconnect);
  BOOST_TEST(unauthorized.error.code() == "unauthorized");
  auto expired = decide_after_close(closed_with(4002));
  BOOST_TEST(!expired.reconnect);
  BOOST_TEST(expired.error.code() == "token_expired");
  EndedConnection http401;
  http401.http_status = 401;
  BOOST_TEST(decide_after_close(http401).error.code() == "unauthorized");
  BOOST_TEST(is_token_rejection(http401));
  EndedConnection refused_frame = closed_with(1000);
  refused_frame.auth_refused = true;  // the gateway answered `auth` with unauthorized
  BOOST_TEST(!decide_after_close(refused_frame).reconnect);
  BOOST_TEST(decide_after_close(refused_frame).error.code() == "unauthorized");

  // With a provider: reconnect (with a fresh token), the reason still reported.
  auto with_provider = decide_after_close(closed_with(4002, true));
  BOOST_TEST(with_provider.reconnect);
  BOOST_TEST(with_provider.error.code() == "token_expired");
  BOOST_TEST(decide_after_close(closed_with(4001, true)).reconnect);

  // 403 is the origin check: another token would not help.
  EndedConnection http403;
  http403.http_status = 403;
  http403.has_token_provider = true;
  BOOST_TEST(!decide_after_close(http403).reconnect);
  BOOST_TEST(decide_after_close(http403).error.code() == "forbidden");
  BOOST_TEST(!is_token_rejection(http403));
  BOOST_TEST(!is_token_rejection(closed_with(4000)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(token_source)

BOOST_AUTO_TEST_CASE(fixed_token_is_not_sent_again_after_a_rejection) {
  TokenSource t("tok-1", nullptr);
  BOOST_TEST(!t.has_provider());
  BOOST_TEST(t.for_attempt().value() == "tok-1");
  BOOST_TEST(t.for_refresh().value().empty());  // nothing new without a provider
  t.reject_current(Status::error("token_expired", "the token expired"));
  auto again = t.for_attempt();
  BOOST_TEST_REQUIRE(!again.is_ok());
  BOOST_TEST(again.status().code() == "token_expired");
  TokenSource none("", nullptr);
  none.reject_current(Status::error("unauthorized", "x"));  // no token: nothing to remember
  BOOST_TEST(none.for_attempt().value().empty());
}

BOOST_AUTO_TEST_CASE(provider_is_asked_each_attempt_and_may_not_return_the_refused_token) {
  std::vector<Result<std::string>> answers = {std::string("a"), std::string("a"), std::string("b"),
                                              Status::error("io", "vault down"), std::string("b")};
  std::size_t calls = 0;
  TokenSource t("ignored", [&]() -> Result<std::string> { return answers.at(calls++); });
  BOOST_TEST(t.has_provider());
  BOOST_TEST(t.for_attempt().value() == "a");
  BOOST_TEST(t.current() == "a");
  t.reject_current(Status::error("unauthorized", "the gateway refused the token"));
  auto same = t.for_attempt();  // the provider hands back "a": refused, stop
  BOOST_TEST_REQUIRE(!same.is_ok());
  BOOST_TEST(same.status().code() == "unauthorized");
  BOOST_TEST(same.status().message().find("same token") != std::string::npos);
  BOOST_TEST(t.for_attempt().value() == "b");
  auto down = t.for_attempt();
  BOOST_TEST(down.status().code() == "token_unavailable");
  BOOST_TEST(down.status().message().find("vault down") != std::string::npos);
  BOOST_TEST(t.for_refresh().value().empty());  // "b" again: nothing new to send
  BOOST_TEST(calls == answers.size());
  t.set_current("c");
  BOOST_TEST(t.current() == "c");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(token_expiry)

BOOST_AUTO_TEST_CASE(exp_is_read_from_the_claims) {
  auto exp = jwt_expiry(token_with_claims(R"({"sub":"u","exp":1900000000})"));
  BOOST_TEST_REQUIRE(exp.has_value());
  BOOST_TEST(std::chrono::duration_cast<seconds>(exp->time_since_epoch()).count() == 1900000000);
  BOOST_TEST(!jwt_expiry(token_with_claims(R"({"sub":"u"})")).has_value());
  BOOST_TEST(!jwt_expiry(token_with_claims(R"({"exp":"soon"})")).has_value());
  BOOST_TEST(!jwt_expiry("not-a-jwt").has_value());
  BOOST_TEST(!jwt_expiry("a.b*c.d").has_value());
  BOOST_TEST(!jwt_expiry("a." + test::base64url_encode("not json") + ".c").has_value());
}

BOOST_AUTO_TEST_CASE(refresh_comes_a_margin_before_exp_or_halfway_for_short_tokens) {
  const auto now = system_clock::now();
  BOOST_TEST(refresh_delay(now, now + seconds(3600), milliseconds(30000))->count() == 3570000);
  BOOST_TEST(refresh_delay(now, now + seconds(10), milliseconds(30000))->count() == 5000);
  BOOST_TEST(refresh_delay(now, now - seconds(1), milliseconds(30000))->count() == 0);
  BOOST_TEST(!refresh_delay(now, now + seconds(3600), milliseconds(0)).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(frame_router)

BOOST_AUTO_TEST_CASE(resubscribes_carry_seq_and_epoch_and_recovered_false_asks_for_a_reload) {
  std::vector<std::string> reloads;
  std::vector<std::string> crud;
  Handlers h;
  h.on_reload = [&](const std::string& world, const std::optional<std::string>& chat) {
    reloads.push_back(world + ":" + chat.value_or("*"));
  };
  h.on_crud = [&](const ServerFrame& f) { crud.push_back(f.payload_string("entityId").value_or("")); };
  FrameRouter router(h);
  router.book().add("w", std::nullopt);
  router.book().add("fresh", std::nullopt);
  router.route(frame(R"({"type":"status","worldId":"w","payload":{"status":"subscribed","seq":5,"epoch":"E1",)"
                     R"("latestSeq":5,"recovered":false,"replayCount":0}})"));
  router.route(frame(R"({"type":"crud","worldId":"w","seq":6,"payload":{"entityId":"a"}})"));
  router.route(frame(R"({"type":"crud","worldId":"w","seq":6,"payload":{"entityId":"a"}})"));  // duplicate
  BOOST_TEST(crud.size() == 1u);

  auto plan = router.resubscribes();
  BOOST_TEST_REQUIRE(plan.size() == 2u);
  const auto& w = plan[1].subscription.world_id == "w" ? plan[1] : plan[0];
  const auto& fresh = plan[1].subscription.world_id == "w" ? plan[0] : plan[1];
  BOOST_TEST(w.asked_replay);
  BOOST_TEST(w.frame.from_seq.value_or(-1) == 6);
  BOOST_TEST(w.frame.epoch.value_or("") == "E1");
  BOOST_TEST(!fresh.asked_replay);  // never acknowledged: subscribe afresh, nothing to recover

  router.on_resubscribed(w, frame(R"({"type":"status","worldId":"w","payload":{"status":"subscribed",)"
                                  R"("recovered":true}})"));
  BOOST_TEST(reloads.empty());
  router.on_resubscribed(w, frame(R"({"type":"status","worldId":"w","payload":{"status":"subscribed",)"
                                  R"("recovered":false}})"));
  router.on_resubscribed(fresh, frame(R"({"type":"status","worldId":"fresh","payload":{"status":"subscribed",)"
                                      R"("recovered":false}})"));
  BOOST_TEST_REQUIRE(reloads.size() == 1u);
  BOOST_TEST(reloads[0] == "w:*");
  // A replay cut short also asks for a reload.
  router.route(frame(R"({"type":"status","worldId":"w","replayComplete":true,"payload":{"status":"replay-complete",)"
                     R"("latestSeq":9,"recovered":false,"replayComplete":true}})"));
  BOOST_TEST(reloads.size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::client
