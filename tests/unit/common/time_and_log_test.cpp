// Tests of time formatting and log level resolution.
#include <boost/test/unit_test.hpp>

#include "common/env.h"
#include "common/log.h"
#include "common/time_util.h"

namespace aw {

BOOST_AUTO_TEST_SUITE(time_and_log)

BOOST_AUTO_TEST_CASE(iso8601_round_trips_with_milliseconds) {
  BOOST_TEST(iso8601_ms(1762084800123) == "2025-11-02T12:00:00.123Z");
  BOOST_TEST(iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
  BOOST_TEST(parse_iso8601_ms("2025-11-02T12:00:00.123Z").value() == 1762084800123);
  BOOST_TEST(!parse_iso8601_ms("2025-11-02").has_value());
  BOOST_TEST(utc_hms(1762084861000) == "12:01:01");
}

BOOST_AUTO_TEST_CASE(category_levels_pick_the_most_specific_prefix) {
  LogSink sink(LogLevel::Info);
  sink.set_category_level("ws", LogLevel::Error);
  sink.set_category_level("ws.storage", LogLevel::Debug);
  BOOST_TEST(!sink.enabled("ws.server", LogLevel::Warn));
  BOOST_TEST(sink.enabled("ws.server", LogLevel::Error));
  BOOST_TEST(sink.enabled("ws.storage", LogLevel::Debug));
  BOOST_TEST(sink.enabled("ws.storage.migrations", LogLevel::Debug));
  BOOST_TEST(!sink.enabled("llm", LogLevel::Debug));
  BOOST_TEST(sink.enabled("llm", LogLevel::Info));
}

BOOST_AUTO_TEST_CASE(log_level_names) {
  LogLevel l = LogLevel::Info;
  BOOST_TEST(parse_log_level("TRACE", l));
  BOOST_TEST((l == LogLevel::Trace));
  BOOST_TEST(!parse_log_level("loud", l));
}

BOOST_AUTO_TEST_CASE(env_int_validates_range) {
  ::setenv("AW_TEST_INT", "42", 1);
  BOOST_TEST(env_int("AW_TEST_INT", 1, 0, 100).value() == 42);
  ::setenv("AW_TEST_INT", "420", 1);
  auto bad = env_int("AW_TEST_INT", 1, 0, 100);
  BOOST_TEST(!bad.is_ok());
  BOOST_TEST(bad.status().message().find("AW_TEST_INT") != std::string::npos);
  ::setenv("AW_TEST_INT", "12x", 1);
  BOOST_TEST(!env_int("AW_TEST_INT", 1, 0, 100).is_ok());
  ::unsetenv("AW_TEST_INT");
  BOOST_TEST(env_int("AW_TEST_INT", 7, 0, 100).value() == 7);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw
