// Tests of gateway/core/mcp_redaction.h.
#include "gateway/core/mcp_redaction.h"

#include <boost/test/unit_test.hpp>

namespace aw::gateway {
namespace {

BOOST_AUTO_TEST_SUITE(mcp_redaction)

BOOST_AUTO_TEST_CASE(url_userinfo_and_query_are_masked) {
  BOOST_TEST(redact_url("https://user:pw@host.example:8080/path?token=abc#frag") ==
             "https://***@host.example:8080/path?***#frag");
  BOOST_TEST(redact_url("https://host.example/path") == "https://host.example/path");
  BOOST_TEST(redact_url("http://host/?a=1") == "http://host/?***");
  BOOST_TEST(redact_url("http://u@host") == "http://***@host");
  BOOST_TEST(redact_url("/relative?x=1") == "/relative?***");
}

BOOST_AUTO_TEST_CASE(env_values_and_nested_urls_are_masked) {
  const std::string in =
      R"({"servers":[{"name":"a","env":{"KEY":"s1","OTHER":"s2"},"url":"https://k@h/p?q=1"}],"note":"kept"})";
  BOOST_TEST(
      redact_mcp_config(in) ==
      R"({"servers":[{"name":"a","env":{"KEY":"***","OTHER":"***"},"url":"https://***@h/p?***"}],"note":"kept"})");
}

BOOST_AUTO_TEST_CASE(text_that_is_not_an_object_is_fully_masked) {
  BOOST_TEST(redact_mcp_config("not json") == "***");
  BOOST_TEST(redact_mcp_config("[1,2]") == "***");
  BOOST_TEST(redact_mcp_config(R"({"a":1})") == R"({"a":1})");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway
