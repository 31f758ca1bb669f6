// Tests of the safe JSON helpers (dependencies.md: RapidJSON on untrusted input).
#include "common/json.h"

#include <boost/test/unit_test.hpp>

namespace aw {

BOOST_AUTO_TEST_SUITE(json_helpers)

BOOST_AUTO_TEST_CASE(parses_objects_and_reads_fields) {
  auto doc = json::parse_untrusted(R"({"a":"x","n":42,"d":1.5,"b":true,"o":{}})");
  BOOST_REQUIRE(doc.is_ok());
  BOOST_TEST(json::get_string(doc.value(), "a").value() == "x");
  BOOST_TEST(json::get_int(doc.value(), "n").value() == 42);
  BOOST_TEST(!json::get_int(doc.value(), "d").has_value());
  BOOST_TEST(json::get_number(doc.value(), "d").value() == 1.5);
  BOOST_TEST(json::get_bool(doc.value(), "b").value());
  BOOST_TEST(!json::get_string(doc.value(), "n").has_value());
  BOOST_TEST(json::find(doc.value(), "missing") == nullptr);
}

BOOST_AUTO_TEST_CASE(finds_keys_given_as_slices_of_longer_strings) {
  auto doc = json::parse_untrusted(R"({"error":{"message":"m"}})");
  BOOST_REQUIRE(doc.is_ok());
  std::string_view path = "error/message";
  const json::Value* error = json::find(doc.value(), path.substr(0, 5));
  BOOST_REQUIRE(error != nullptr);
  BOOST_TEST(json::get_string(*error, path.substr(6)).value() == "m");
}

BOOST_AUTO_TEST_CASE(refuses_hostile_input) {
  BOOST_TEST(!json::parse_untrusted(R"({"a":1} xyz)").is_ok());        // trailing garbage
  BOOST_TEST(!json::parse_untrusted("{\"a\":\"\xff\"}").is_ok());      // invalid UTF-8
  BOOST_TEST(!json::parse_untrusted("{\"a\":\"\xc0\xaf\"}").is_ok());  // overlong
  BOOST_TEST(!json::parse_untrusted("").is_ok());
  BOOST_TEST(!json::parse_untrusted("{").is_ok());
  BOOST_TEST(!json::parse_untrusted("NaN").is_ok());
  auto bad = json::parse_untrusted("nope");
  BOOST_TEST(bad.status().code() == "bad_json");
}

BOOST_AUTO_TEST_CASE(limits_nesting_without_crashing) {
  std::string deep(json::kDefaultMaxDepth + 1, '[');
  deep += std::string(json::kDefaultMaxDepth + 1, ']');
  BOOST_TEST(!json::parse_untrusted(deep).is_ok());
  std::string ok(json::kDefaultMaxDepth, '[');
  ok += std::string(json::kDefaultMaxDepth, ']');
  BOOST_TEST(json::parse_untrusted(ok).is_ok());
  std::string huge(1000000, '[');  // would overflow a recursive parser
  BOOST_TEST(!json::parse_untrusted(huge).is_ok());
}

BOOST_AUTO_TEST_CASE(serialisation_refuses_invalid_utf8_from_lone_surrogates) {
  auto doc = json::parse_untrusted(R"({"a":"\udc00"})");  // accepted by RapidJSON even when validating
  BOOST_REQUIRE(doc.is_ok());
  BOOST_TEST(!json::to_string(doc.value()).has_value());
  auto good = json::parse_untrusted(R"({"a":"é"})");
  BOOST_TEST(json::to_string(good.value()).value() == R"({"a":"é"})");
}

BOOST_AUTO_TEST_CASE(append_quoted_escapes_and_repairs) {
  std::string out;
  json::append_quoted(out, "a\"b\\c\n\x01");
  BOOST_TEST(out == R"("a\"b\\c\n\u0001")");
  out.clear();
  json::append_quoted(out, "x\xffy");
  BOOST_TEST(out == "\"x\xEF\xBF\xBDy\"");
  BOOST_TEST(json::parse_untrusted(out).is_ok());
}

BOOST_AUTO_TEST_CASE(utf8_validation) {
  BOOST_TEST(json::is_valid_utf8("héllo 助手 😀"));
  BOOST_TEST(!json::is_valid_utf8("\xed\xa0\x80"));      // encoded surrogate
  BOOST_TEST(!json::is_valid_utf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  BOOST_TEST(!json::is_valid_utf8("\xe2\x82"));          // truncated
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw
