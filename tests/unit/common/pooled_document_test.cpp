// PooledDocument and parse_untrusted_into: the same answers as parse_untrusted, whichever parse path (prevalidated
// UTF-8 or RapidJSON's own check) a text takes, and texts larger than the inline pool.
#include "common/pooled_document.h"

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>
#include <vector>

namespace aw {
namespace {

// Parses `text` both ways; requires the same status and, on success, the same serialisation.
void expect_same_as_parse_untrusted(const std::string& text) {
  auto reference = json::parse_untrusted(text);
  auto pooled = std::make_unique<json::PooledDocument>();
  const Status status = json::parse_untrusted_into(*pooled, text);
  BOOST_TEST_CONTEXT("text: " << text) {
    BOOST_TEST(status.is_ok() == reference.is_ok());
    if (!status.is_ok() && !reference.is_ok()) {
      BOOST_TEST(status.code() == "bad_json");
      BOOST_TEST(status.message() == reference.status().message());
    }
    if (status.is_ok() && reference.is_ok()) {
      BOOST_TEST(json::to_string(pooled->document()).value_or("<invalid>") ==
                 json::to_string(reference.value()).value_or("<invalid>"));
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pooled_document)

BOOST_AUTO_TEST_CASE(answers_as_parse_untrusted_on_valid_and_hostile_text) {
  const std::vector<std::string> texts = {
      R"({"type":"command","payload":{"command":"list-worlds"},"requestId":"r1"})",
      R"({"a":"\u00e9\n\"x\"","b":[1,2.5,-3,true,null],"c":{}})",
      "{\"a\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}",  // valid multi-byte UTF-8
      "\xef\xbb\xbf{\"bom\":1}",                   // a UTF-8 byte order mark is skipped
      "{\"a\":\"\xff\"}",                          // invalid byte inside a string
      "{\"a\":\"\xc0\xaf\"}",                      // overlong form
      "{\"a\":\"\xed\xa0\x80\"}",                  // UTF-8-encoded surrogate
      "{\"a\":\"\xf4\x90\x80\x80\"}",              // above U+10FFFF
      "{\"a\":1,\xff:2}",                          // invalid byte outside a string
      "{\"a\":\"x\ty\"}",                          // raw control character
      std::string("{\"a\":1}\0junk", 12),          // NUL after the root
      std::string("{\"a\":\"x\0y\"}", 11),         // NUL inside a string
      R"({"a":"\udc00"})",                         // lone surrogate escape
      R"({"a":"\ud800\u0041"})",                   // invalid surrogate pair
      R"({"a":1} xyz)",
      "",
      "{",
      "NaN",
      "[1,]",
  };
  for (const std::string& text : texts) expect_same_as_parse_untrusted(text);
}

BOOST_AUTO_TEST_CASE(limits_nesting_like_parse_untrusted) {
  expect_same_as_parse_untrusted(std::string(json::kDefaultMaxDepth, '[') + std::string(json::kDefaultMaxDepth, ']'));
  expect_same_as_parse_untrusted(std::string(json::kDefaultMaxDepth + 1, '[') +
                                 std::string(json::kDefaultMaxDepth + 1, ']'));
  auto pooled = std::make_unique<json::PooledDocument>();
  BOOST_TEST(!json::parse_untrusted_into(*pooled, "[[[1]]]", 2).is_ok());
}

BOOST_AUTO_TEST_CASE(texts_larger_than_the_inline_pool_spill_into_chunks) {
  std::string text = "{";
  for (int i = 0; i < 500; ++i) text += "\"key" + std::to_string(i) + "\":\"" + std::string(100, 'v') + "\",";
  text += "\"big\":\"" + std::string(3 * json::PooledDocument::kSpillChunkBytes, 'b') + "\"}";
  BOOST_REQUIRE(text.size() > 4 * json::PooledDocument::kSpillChunkBytes);
  auto pooled = std::make_unique<json::PooledDocument>();
  BOOST_REQUIRE(json::parse_untrusted_into(*pooled, text).is_ok());
  BOOST_TEST(json::get_string(pooled->document(), "key499").value() == std::string(100, 'v'));
  BOOST_TEST(json::get_string(pooled->document(), "big").value().size() == 3 * json::PooledDocument::kSpillChunkBytes);
  expect_same_as_parse_untrusted(text);
}

BOOST_AUTO_TEST_CASE(find_takes_the_first_member_and_compares_every_byte) {
  auto pooled = std::make_unique<json::PooledDocument>();
  BOOST_REQUIRE(json::parse_untrusted_into(*pooled, R"({"k":1,"k":2,"a\u0000b":3,"":4,"ab":5})").is_ok());
  const json::Document& doc = pooled->document();
  BOOST_TEST(json::get_int(doc, "k").value() == 1);
  BOOST_TEST(json::get_int(doc, std::string_view("a\0b", 3)).value() == 3);
  BOOST_TEST(json::get_int(doc, "").value() == 4);
  BOOST_TEST(json::get_int(doc, "ab").value() == 5);
  BOOST_TEST(json::find(doc, "a") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw
