// The /metrics counters of every limit and auth failure (ws-protocol.md §3; WsCounters::limit_hits and
// auth_failures), counted by GatewayService over fake connections.
#include <boost/test/unit_test.hpp>

#include "gateway/session/jwt_verifier.h"
#include "tests/unit/gateway/session/service_fixture.h"

namespace aw::gateway {
namespace {

using test::Conn;

std::int64_t hits(const WsCounters& c, std::string_view limit) {
  auto it = c.limit_hits.find(limit);
  return it == c.limit_hits.end() ? 0 : it->second;
}
std::int64_t failures(const WsCounters& c, std::string_view reason) {
  auto it = c.auth_failures.find(reason);
  return it == c.auth_failures.end() ? 0 : it->second;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(limit_counters, test::ServiceFixture)

BOOST_AUTO_TEST_CASE(subscription_cap_is_counted) {
  Conn c = open();
  for (int i = 0; i < 5; ++i) send(c, R"({"type":"subscribe","worldId":"w)" + std::to_string(i) + R"("})");
  BOOST_TEST(str(c.last(), "code") == "limit_exceeded");
  BOOST_TEST(hits(service().counters(), kLimitSubscriptions) == 1);
}

BOOST_AUTO_TEST_CASE(pending_per_world_cap_is_counted) {
  Conn c = open();
  core.next_enqueue.status = Status::error("limit_exceeded", "Queue for world 'w' is full");
  send(c, R"({"type":"message","worldId":"w","messageId":"m1"})");
  BOOST_TEST(str(c.last(), "code") == "limit_exceeded");
  BOOST_TEST(str(c.last(), "error") == "Queue for world 'w' is full");
  BOOST_TEST(hits(service().counters(), kLimitPendingPerWorld) == 1);
}

BOOST_AUTO_TEST_CASE(rate_refusals_and_the_4029_close_are_counted) {
  options.session.rate_limit_rps = 1;
  options.session.rate_limit_burst = 2;
  Conn c = open();
  for (int i = 0; i < 4; ++i) send(c, R"({"type":"unsubscribe"})");  // 2 served, 2 refused -> close 4029
  BOOST_TEST(c.transport->close_code == kCloseRateLimited);
  BOOST_TEST(hits(service().counters(), kLimitRate) == 2);
  service().on_closed(c.id, 1006);  // the peer never answered: still counted under our code
  BOOST_TEST(hits(service().counters(), kLimitRateClose) == 1);
  BOOST_TEST(service().counters().closes_by_code.at(kCloseRateLimited) == 1);
}

BOOST_AUTO_TEST_CASE(closes_for_slow_consumers_and_oversized_frames_are_counted) {
  Conn slow = open();
  service().find_session(slow.id)->close(kCloseSlowConsumer, "slow consumer");
  service().on_closed(slow.id, 1006);
  BOOST_TEST(hits(service().counters(), kLimitOutbound) == 1);
  Conn big = open();
  service().on_closed(big.id, 1009);  // websocketpp closes an oversized frame itself
  BOOST_TEST(hits(service().counters(), kLimitFrameSize) == 1);
  Conn normal = open();
  service().on_closed(normal.id, 1000);
  BOOST_TEST(hits(service().counters(), kLimitOutbound) == 1);
  BOOST_TEST(hits(service().counters(), kLimitFrameSize) == 1);
}

BOOST_AUTO_TEST_CASE(auth_failures_are_counted_by_reason) {
  auth.required = true;
  Conn early = open();
  send(early, R"({"type":"subscribe","worldId":"w1"})");
  BOOST_TEST(str(early.last(), "code") == "unauthorized");
  BOOST_TEST(early.transport->close_code == kCloseUnauthorized);
  BOOST_TEST(failures(service().counters(), kAuthMissing) == 1);

  Conn bad = open();
  send(bad, R"({"type":"auth","payload":{"token":"bad"}})");
  BOOST_TEST(bad.transport->close_code == kCloseUnauthorized);
  // The fake authenticator refuses with code "unauthorized"; the real one with a kToken* reason.
  BOOST_TEST(failures(service().counters(), "unauthorized") == 1);

  Conn late = open();
  now += std::chrono::milliseconds(250);
  service().on_heartbeat_tick(now, now_ms());
  BOOST_TEST(late.transport->close_code == kCloseUnauthorized);
  BOOST_TEST(failures(service().counters(), kAuthTimeout) == 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
