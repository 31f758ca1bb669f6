// Tests of the safe JSON helpers (dependencies.md: RapidJSON on untrusted input).
#include "common/json.h"

#include <boost/test/unit_test.hpp>
#include <random>

namespace aw {
namespace {

// The byte-at-a-time escaping append_quoted had before it copied runs: the reference the fast one must match.
std::string reference_quoted(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      if (len != 0 && i + len <= s.size() && json::is_valid_utf8(s.substr(i, len))) {
        out.append(s.data() + i, len);
        i += len;
      } else {
        out += "\xEF\xBF\xBD";
        ++i;
      }
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\b') {
      out += "\\b";
    } else if (c == '\f') {
      out += "\\f";
    } else if (c < 0x20) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(static_cast<char>(c));
    }
    ++i;
  }
  return out + "\"";
}

}  // namespace

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

BOOST_AUTO_TEST_CASE(append_quoted_copies_runs_exactly_like_byte_wise_escaping) {
  // Runs around escapes and multi-byte characters, truncated sequences at the end, appends to existing text.
  std::string out = "prefix:";
  json::append_quoted(out, "plain text, then \"quoted\" é and 助手 then \x01 and 😀");
  BOOST_TEST(out == "prefix:" + reference_quoted("plain text, then \"quoted\" é and 助手 then \x01 and 😀"));
  for (std::string_view tail : {"abc\xe2\x82", "abc\xf0\x9f\x98", "\xc3", "\xed\xa0\x80x", "\xc0\xaf"}) {
    out.clear();
    json::append_quoted(out, tail);
    BOOST_TEST(out == reference_quoted(tail));
    BOOST_TEST(json::is_valid_utf8(out));
  }
  // Random strings over the bytes that matter: same output as the reference, and always valid UTF-8 and JSON.
  const unsigned char kBytes[] = {'a',  'Z',  ' ',  '"',  '\\', '\n', 0x01, 0x1f, 0x7f, 0x80, 0xbf, 0xc3,
                                  0xa9, 0xe2, 0x82, 0xac, 0xed, 0xa0, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0xc0};
  std::mt19937 rng(42);
  std::uniform_int_distribution<std::size_t> pick(0, sizeof kBytes - 1);
  std::uniform_int_distribution<std::size_t> length(0, 40);
  for (int round = 0; round < 2000; ++round) {
    std::string input(length(rng), ' ');
    for (char& c : input) c = static_cast<char>(kBytes[pick(rng)]);
    out.clear();
    json::append_quoted(out, input);
    BOOST_TEST_REQUIRE(out == reference_quoted(input));
    BOOST_TEST_REQUIRE(json::is_valid_utf8(out));
    BOOST_TEST_REQUIRE(json::parse_untrusted("[" + out + "]").is_ok());
  }
}

BOOST_AUTO_TEST_CASE(utf8_validation_word_at_a_time) {
  // The ASCII fast path reads 32, then 8 bytes at a time: a bad byte at every position of a longer text is still
  // found, and a character that straddles a block is still checked whole.
  const std::string ascii(100, 'a');
  BOOST_TEST(json::is_valid_utf8(ascii));
  // A text that ends exactly at a block: nothing past its end is read (ASan checks it in the sanitizer build).
  const std::string blocks(64, 'a');
  BOOST_TEST(json::is_valid_utf8(std::string_view(blocks.data(), 32)));
  BOOST_TEST(json::is_valid_utf8(blocks));
  for (std::size_t at = 0; at < ascii.size(); ++at) {
    std::string bad = ascii;
    bad[at] = '\xff';
    BOOST_TEST_REQUIRE(!json::is_valid_utf8(bad));
    std::string good = ascii.substr(0, at) + "é" + ascii.substr(at);
    BOOST_TEST_REQUIRE(json::is_valid_utf8(good));
    BOOST_TEST_REQUIRE(json::is_valid_utf8(ascii.substr(0, at) + "€" + ascii.substr(at)));
    BOOST_TEST_REQUIRE(!json::is_valid_utf8(ascii.substr(0, at) + "\xe2\x82" + ascii.substr(at)));  // truncated
  }
}

BOOST_AUTO_TEST_CASE(utf8_validation) {
  BOOST_TEST(json::is_valid_utf8("héllo 助手 😀"));
  BOOST_TEST(!json::is_valid_utf8("\xed\xa0\x80"));      // encoded surrogate
  BOOST_TEST(!json::is_valid_utf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  BOOST_TEST(!json::is_valid_utf8("\xe2\x82"));          // truncated
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw
