// Tests of bench/lib/json_line.
#include "bench/lib/json_line.h"

#include <cmath>

#include <boost/test/unit_test.hpp>

#include "common/json.h"

namespace aw::bench {
namespace {

BOOST_AUTO_TEST_SUITE(json_line)

BOOST_AUTO_TEST_CASE(builds_one_parseable_object) {
  const std::string text = JsonLine()
                               .add("mode", "rtt")
                               .add("target", std::string_view("a\"b"))
                               .add("count", std::int64_t{-3})
                               .add("big", std::uint64_t{18446744073709551615ull})
                               .add("p50_us", 12.345)
                               .add("ok", true)
                               .str();
  auto doc = json::parse_untrusted(text);
  BOOST_REQUIRE(doc.is_ok());
  BOOST_TEST(json::get_string(doc.value(), "mode").value_or("") == "rtt");
  BOOST_TEST(json::get_string(doc.value(), "target").value_or("") == "a\"b");
  BOOST_TEST(json::get_int(doc.value(), "count").value_or(0) == -3);
  BOOST_TEST(json::get_number(doc.value(), "p50_us").value_or(0) == 12.3);
  BOOST_TEST(json::get_bool(doc.value(), "ok").value_or(false));
  BOOST_TEST(text.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(non_finite_numbers_become_null) {
  const std::string text = JsonLine().add("x", std::nan("")).add("y", HUGE_VAL).str();
  BOOST_TEST(text == R"({"x":null,"y":null})");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::bench
