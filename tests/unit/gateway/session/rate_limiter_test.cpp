// RateLimiter: the inbound token bucket of ws-protocol.md §3.4, on a fake clock.
#include <boost/test/unit_test.hpp>

#include "gateway/session/rate_limiter.h"

namespace aw::gateway {
namespace {

using std::chrono::milliseconds;

struct RateLimiterFixture {
  RateLimiter::Clock::time_point t0 = RateLimiter::Clock::time_point() + std::chrono::hours(1);
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(rate_limiter, RateLimiterFixture)

BOOST_AUTO_TEST_CASE(a_full_bucket_allows_burst_frames_at_once) {
  RateLimiter limiter(50, 100, t0);
  for (int i = 0; i < 100; ++i) BOOST_TEST(limiter.take(t0).allowed);
  RateLimiter::Decision d = limiter.take(t0);
  BOOST_TEST(!d.allowed);
  BOOST_TEST(d.retry_after_ms == 20);  // one token every 1000/50 ms
  BOOST_TEST(!d.close);
}

BOOST_AUTO_TEST_CASE(tokens_refill_at_the_rate_and_stop_at_burst) {
  RateLimiter limiter(10, 5, t0);
  for (int i = 0; i < 5; ++i) BOOST_TEST(limiter.take(t0).allowed);
  BOOST_TEST(!limiter.take(t0).allowed);
  BOOST_TEST(limiter.take(t0 + milliseconds(100)).allowed);  // 10/s: one token after 100 ms
  BOOST_TEST(!limiter.take(t0 + milliseconds(100)).allowed);
  limiter.take(t0 + std::chrono::hours(1));
  BOOST_TEST(limiter.tokens_for_test() == 4.0);  // capped at burst (5), minus the one just taken
}

BOOST_AUTO_TEST_CASE(retry_delay_counts_the_missing_fraction) {
  RateLimiter limiter(4, 1, t0);
  BOOST_TEST(limiter.take(t0).allowed);
  BOOST_TEST(limiter.take(t0 + milliseconds(100)).retry_after_ms == 150);  // 0.4 token there, 0.6 missing at 4/s
}

BOOST_AUTO_TEST_CASE(burst_consecutive_rejections_ask_for_close) {
  RateLimiter limiter(1, 3, t0);
  for (int i = 0; i < 3; ++i) BOOST_TEST(limiter.take(t0).allowed);
  BOOST_TEST(!limiter.take(t0).close);
  BOOST_TEST(!limiter.take(t0).close);
  RateLimiter::Decision third = limiter.take(t0);
  BOOST_TEST(!third.allowed);
  BOOST_TEST(third.close);
}

BOOST_AUTO_TEST_CASE(an_allowed_frame_resets_the_rejection_run) {
  RateLimiter limiter(1, 2, t0);
  BOOST_TEST(limiter.take(t0).allowed);
  BOOST_TEST(limiter.take(t0).allowed);
  BOOST_TEST(!limiter.take(t0).close);                        // rejection 1
  BOOST_TEST(limiter.take(t0 + milliseconds(1000)).allowed);  // refilled: the run ends
  BOOST_TEST(!limiter.take(t0 + milliseconds(1000)).close);   // rejection 1 again
  BOOST_TEST(limiter.take(t0 + milliseconds(1000)).close);    // rejection 2 = burst
}

BOOST_AUTO_TEST_CASE(zero_rate_or_burst_disables_the_limiter) {
  RateLimiter no_rate(0, 100, t0);
  RateLimiter no_burst(50, 0, t0);
  for (int i = 0; i < 1000; ++i) {
    BOOST_TEST(no_rate.take(t0).allowed);
    BOOST_TEST(no_burst.take(t0).allowed);
  }
  BOOST_TEST(!no_rate.enabled());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
