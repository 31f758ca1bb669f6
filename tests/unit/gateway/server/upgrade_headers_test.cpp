// Unit tests of the listener's header and address checks (upgrade_headers.h).
#include "gateway/server/upgrade_headers.h"

#include <boost/test/unit_test.hpp>

using aw::gateway::bearer_token;
using aw::gateway::is_loopback_host;

BOOST_AUTO_TEST_SUITE(upgrade_headers)

BOOST_AUTO_TEST_CASE(bearer_scheme_is_case_insensitive_and_token_trimmed) {
  BOOST_TEST(bearer_token("Bearer abc").value() == "abc");
  BOOST_TEST(bearer_token("bEaReR   abc  ").value() == "abc");
}

BOOST_AUTO_TEST_CASE(other_schemes_and_empty_tokens_are_refused) {
  BOOST_TEST(!bearer_token("Basic abc"));
  BOOST_TEST(!bearer_token("Bearer"));
  BOOST_TEST(!bearer_token("Bearer "));
  BOOST_TEST(!bearer_token("Bearer    "));
  BOOST_TEST(!bearer_token("Bearerabc"));
  BOOST_TEST(!bearer_token(""));
}

BOOST_AUTO_TEST_CASE(loopback_hosts) {
  BOOST_TEST(is_loopback_host("127.0.0.1"));
  BOOST_TEST(is_loopback_host("127.1.2.3"));
  BOOST_TEST(is_loopback_host("::1"));
  BOOST_TEST(is_loopback_host("localhost"));
  BOOST_TEST(!is_loopback_host(""));
  BOOST_TEST(!is_loopback_host("0.0.0.0"));
  BOOST_TEST(!is_loopback_host("10.0.0.1"));
  BOOST_TEST(!is_loopback_host("::"));
}

BOOST_AUTO_TEST_SUITE_END()
