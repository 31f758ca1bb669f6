// OriginPolicy: the Origin rules of ws-protocol.md §3.1.
#include <boost/test/unit_test.hpp>

#include "gateway/server/origin_policy.h"

namespace aw::gateway {

BOOST_AUTO_TEST_SUITE(origin_policy)

BOOST_AUTO_TEST_CASE(no_origin_is_always_allowed) {
  BOOST_TEST(OriginPolicy(std::nullopt).allows("", "example.com:3001"));
  BOOST_TEST(OriginPolicy(std::vector<std::string>{"https://app.example"}).allows("", "x"));
}

BOOST_AUTO_TEST_CASE(default_rule_allows_localhost_origins_on_any_port) {
  OriginPolicy policy(std::nullopt);
  BOOST_TEST(policy.allows("http://localhost:5173", "gateway:3001"));
  BOOST_TEST(policy.allows("https://127.0.0.1", "gateway:3001"));
  BOOST_TEST(policy.allows("http://[::1]:8080", "gateway:3001"));
  BOOST_TEST(policy.allows("HTTP://LOCALHOST:1", "gateway:3001"));
  BOOST_TEST(!policy.allows("http://evil.example", "localhost:3001"));
  BOOST_TEST(!policy.allows("http://localhost.evil.example", "localhost:3001"));
  BOOST_TEST(!policy.allows("file://localhost", "x"));
  BOOST_TEST(!policy.allows("null", "localhost:3001"));
}

BOOST_AUTO_TEST_CASE(same_host_is_trusted_only_for_ip_literals_and_localhost) {
  OriginPolicy policy(std::vector<std::string>{"https://app.example"});
  BOOST_TEST(policy.allows("http://10.0.0.5:3001", "10.0.0.5:3001"));
  BOOST_TEST(policy.allows("http://[fd00::1]:3001", "[fd00::1]:3001"));
  BOOST_TEST(policy.allows("http://localhost:3001", "localhost:3001"));
  BOOST_TEST(policy.allows("http://10.0.0.5", "10.0.0.5"));  // both default to port 80
  BOOST_TEST(!policy.allows("http://10.0.0.5:9999", "10.0.0.5:3001"));
  // A DNS name equal to Host is not enough (DNS rebinding).
  BOOST_TEST(!policy.allows("http://gateway.example:3001", "gateway.example:3001"));
}

BOOST_AUTO_TEST_CASE(allowlist_replaces_the_localhost_rule) {
  OriginPolicy policy(std::vector<std::string>{"https://app.example", "http://other.example:8080/"});
  BOOST_TEST(policy.allows("https://app.example", "gw:3001"));
  BOOST_TEST(policy.allows("https://APP.example/", "gw:3001"));
  BOOST_TEST(policy.allows("http://other.example:8080", "gw:3001"));
  BOOST_TEST(!policy.allows("http://app.example", "gw:3001"));
  BOOST_TEST(!policy.allows("http://localhost:5173", "gw:3001"));
}

BOOST_AUTO_TEST_CASE(star_allows_every_origin) {
  OriginPolicy policy(std::vector<std::string>{"*"});
  BOOST_TEST(policy.allows("http://anything.example", "gw"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
