// Tests of the HTTP error texts (agent-runtime.md §7.4): the provider's JSON message, else the reason phrase.
#include "processor/providers/http_error.h"

#include <boost/test/unit_test.hpp>

#include "common/json.h"

namespace aw::processor::providers {
namespace {

HttpResponseHead head(int status, std::string reason) { return HttpResponseHead{status, std::move(reason), {}}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(http_error)

BOOST_AUTO_TEST_CASE(json_error_bodies_of_each_provider) {
  BOOST_TEST(http_error_text(head(401, "Unauthorized"),
                             R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})") ==
             "401 Incorrect API key provided");
  BOOST_TEST(http_error_text(head(529, ""),
                             R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})") ==
             "529 Overloaded");
  BOOST_TEST(
      http_error_text(head(400, "Bad Request"),
                      R"([{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}])") ==
      "400 API key not valid.");
  BOOST_TEST(http_error_text(head(404, "Not Found"), R"({"error":"model 'x' not found"})") ==
             "404 model 'x' not found");
  BOOST_TEST(http_error_text(head(422, "Unprocessable Entity"), R"({"detail":"bad field"})") == "422 bad field");
  BOOST_TEST(http_error_text(head(400, "Bad Request"), R"({"message":"  padded  "})") == "400 padded");
}

BOOST_AUTO_TEST_CASE(html_or_empty_bodies_give_the_reason_phrase) {
  BOOST_TEST(http_error_text(head(502, "Bad Gateway"), "<html><body><h1>502 Bad Gateway</h1></body></html>") ==
             "502 Bad Gateway");
  BOOST_TEST(http_error_text(head(503, "Service Unavailable"), "") == "503 Service Unavailable");
  BOOST_TEST(http_error_text(head(500, "Internal Server Error"), R"({"error":{"code":1}})") ==
             "500 Internal Server Error");
  BOOST_TEST(http_error_text(head(503, ""), "") == "503 Service Unavailable");  // no phrase sent: the standard one
  BOOST_TEST(http_error_text(head(599, ""), "") == "599 Error");
  BOOST_TEST(http_error_text(head(500, "Oops"), "{\"error\":{\"message\":\"\xFF\"}}") == "500 Oops");
}

BOOST_AUTO_TEST_CASE(long_messages_are_cut_on_a_character_boundary) {
  std::string message;
  for (int i = 0; i < 1500; ++i) message += "\xC3\xA9";  // 3000 bytes of é
  std::string text = http_error_text(head(400, "Bad Request"), R"({"error":{"message":")" + message + R"("}})");
  BOOST_TEST(text.size() <= 4 + kMaxErrorMessageBytes);
  BOOST_TEST(json::is_valid_utf8(text));
}

BOOST_AUTO_TEST_CASE(retryable_statuses) {
  for (int status : {408, 429, 500, 502, 503, 504, 529}) BOOST_TEST(is_retryable_status(status));
  for (int status : {200, 400, 401, 403, 404, 413, 422, 501}) BOOST_TEST(!is_retryable_status(status));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers
