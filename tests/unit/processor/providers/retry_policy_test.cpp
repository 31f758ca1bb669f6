// Tests of the retry delays: exponential backoff with jitter, Retry-After in seconds or as an HTTP date, the cap.
#include "processor/providers/retry_policy.h"

#include <boost/test/unit_test.hpp>

namespace aw::processor::providers {
namespace {

using std::chrono::milliseconds;

// 2015-10-21T07:28:00Z
const std::chrono::system_clock::time_point kNow{std::chrono::seconds(1445412480)};

}  // namespace

BOOST_AUTO_TEST_SUITE(retry_policy)

BOOST_AUTO_TEST_CASE(backoff_doubles_per_retry) {
  BOOST_TEST(backoff_delay(milliseconds(1000), 1, 0.0).count() == 1000);
  BOOST_TEST(backoff_delay(milliseconds(1000), 2, 0.0).count() == 2000);
  BOOST_TEST(backoff_delay(milliseconds(1000), 3, 0.0).count() == 4000);
  BOOST_TEST(backoff_delay(milliseconds(0), 3, 1.0).count() == 0);
}

BOOST_AUTO_TEST_CASE(jitter_is_plus_minus_twenty_percent) {
  BOOST_TEST(backoff_delay(milliseconds(1000), 1, 1.0).count() == 1200);
  BOOST_TEST(backoff_delay(milliseconds(1000), 1, -1.0).count() == 800);
  BOOST_TEST(backoff_delay(milliseconds(1000), 2, 0.5).count() == 2200);
  BOOST_TEST(backoff_delay(milliseconds(1000), 1, 7.0).count() == 1200);  // out-of-range jitter is clamped
}

BOOST_AUTO_TEST_CASE(backoff_is_capped) {
  BOOST_TEST(backoff_delay(milliseconds(1000), 6, 1.0).count() == 30000);
  BOOST_TEST(backoff_delay(milliseconds(60000), 1, 0.0).count() == 30000);
  BOOST_TEST(backoff_delay(milliseconds(1000), 1000, 0.0).count() == 30000);
}

BOOST_AUTO_TEST_CASE(retry_after_seconds) {
  BOOST_TEST(parse_retry_after("2", kNow).value().count() == 2000);
  BOOST_TEST(parse_retry_after(" 0 ", kNow).value().count() == 0);
  BOOST_TEST(parse_retry_after("1.5", kNow).value().count() == 1500);
  BOOST_TEST(parse_retry_after("120", kNow).value().count() == 30000);  // capped
  BOOST_TEST(parse_retry_after("99999999999999999999", kNow).value().count() == 30000);
  BOOST_TEST(!parse_retry_after("", kNow).has_value());
  BOOST_TEST(!parse_retry_after("2s", kNow).has_value());
  BOOST_TEST(!parse_retry_after("-1", kNow).has_value());
  BOOST_TEST(!parse_retry_after("soon", kNow).has_value());
}

BOOST_AUTO_TEST_CASE(retry_after_http_date) {
  BOOST_TEST(parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT", kNow).value().count() == 5000);
  BOOST_TEST(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", kNow).value().count() == 0);  // in the past
  BOOST_TEST(parse_retry_after("Thu, 22 Oct 2015 07:28:00 GMT", kNow).value().count() == 30000);
  BOOST_TEST(!parse_retry_after("Wednesday, 21-Oct-15 07:28:05 GMT", kNow).has_value());  // obsolete format
}

BOOST_AUTO_TEST_CASE(http_date_parsing) {
  auto t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count() == 784111777);
  BOOST_TEST(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT")->time_since_epoch().count() == 0);
  BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(
                 parse_http_date("Thu, 29 Feb 2024 12:00:00 GMT")->time_since_epoch())
                 .count() == 1709208000);
  BOOST_TEST(!parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC").has_value());
  BOOST_TEST(!parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT").has_value());
  BOOST_TEST(!parse_http_date("Sun, 6 Nov 1994 08:49:37 GMT").has_value());
  BOOST_TEST(!parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers
