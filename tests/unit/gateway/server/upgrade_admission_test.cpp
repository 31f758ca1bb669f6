// Tests of gateway/server/upgrade_admission.h: every refusal with its status, text and counter, the lazily read
// headers, and the principal of a valid Bearer token.
#include "gateway/server/upgrade_admission.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <string>
#include <vector>

#include "gateway/session/jwt_verifier.h"
#include "tests/unit/gateway/session/service_fixture.h"

namespace aw::gateway {
namespace {

struct AdmissionFixture {
  std::map<std::string, std::string> headers;
  std::vector<std::string> looked_up;
  OriginPolicy origins{std::vector<std::string>{"https://app.example"}};
  test::FakeAuthenticator authenticator;
  WsCounters counters;
  UpgradeAdmissionContext context{false, 2, 0, origins, authenticator, counters, 1'000};
  const std::string none;

  UpgradeAdmission admit() {
    return admit_upgrade(
        [this](const char* name) -> const std::string& {
          looked_up.emplace_back(name);
          auto it = headers.find(name);
          return it != headers.end() ? it->second : none;
        },
        context);
  }
  static std::string error_of(const UpgradeAdmission& a) { return a.refusal ? a.refusal->body : ""; }
};

BOOST_FIXTURE_TEST_SUITE(upgrade_admission, AdmissionFixture)

BOOST_AUTO_TEST_CASE(a_plain_upgrade_is_admitted_reading_only_the_origin) {
  const UpgradeAdmission a = admit();
  BOOST_TEST(!a.refusal.has_value());
  BOOST_TEST(!a.principal.has_value());
  BOOST_TEST(looked_up == std::vector<std::string>{"Origin"});  // no Host without an Origin, no Authorization
}

BOOST_AUTO_TEST_CASE(shutting_down_and_the_connection_cap_answer_503) {
  context.shutting_down = true;
  UpgradeAdmission a = admit();
  BOOST_REQUIRE(a.refusal.has_value());
  BOOST_TEST(a.refusal->status == 503);
  BOOST_TEST(error_of(a) == R"({"error":"Shutting down"})");

  context.shutting_down = false;
  context.connections = 2;
  a = admit();
  BOOST_REQUIRE(a.refusal.has_value());
  BOOST_TEST(a.refusal->status == 503);
  BOOST_TEST(error_of(a) == R"({"error":"Too many connections"})");
  BOOST_TEST(counters.limit_hits.at(std::string(kLimitConnections)) == 1);
  context.max_connections = 0;  // unlimited
  BOOST_TEST(!admit().refusal.has_value());
}

BOOST_AUTO_TEST_CASE(an_origin_outside_the_list_answers_403) {
  headers["Origin"] = "https://evil.example";
  headers["Host"] = "gw.example";
  UpgradeAdmission a = admit();
  BOOST_REQUIRE(a.refusal.has_value());
  BOOST_TEST(a.refusal->status == 403);
  BOOST_TEST(error_of(a) == R"({"error":"Origin not allowed"})");
  BOOST_TEST(counters.limit_hits.at(std::string(kLimitOrigin)) == 1);
  headers["Origin"] = "https://app.example";
  BOOST_TEST(!admit().refusal.has_value());
}

BOOST_AUTO_TEST_CASE(with_auth_required_a_bearer_token_is_checked) {
  authenticator.required = true;
  BOOST_TEST(!admit().refusal.has_value());  // no header: the `auth` frame may still come

  headers["Authorization"] = "Basic abc";
  UpgradeAdmission a = admit();
  BOOST_REQUIRE(a.refusal.has_value());
  BOOST_TEST(a.refusal->status == 401);
  BOOST_TEST(error_of(a) == R"({"error":"Invalid token"})");
  BOOST_TEST(counters.auth_failures.at(std::string(kTokenMalformed)) == 1);

  headers["Authorization"] = "Bearer bad";
  a = admit();
  BOOST_REQUIRE(a.refusal.has_value());
  BOOST_TEST(a.refusal->status == 401);

  headers["Authorization"] = "bearer good";
  a = admit();
  BOOST_TEST(!a.refusal.has_value());
  BOOST_REQUIRE(a.principal.has_value());
  BOOST_TEST(a.principal->authenticated);
  BOOST_TEST(a.principal->subject == "u1");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway
