// Tests of identifiers (agent-runtime.md §1).
#include "common/ids.h"

#include <boost/test/unit_test.hpp>
#include <set>

namespace aw {

BOOST_AUTO_TEST_SUITE(ids)

BOOST_AUTO_TEST_CASE(kebab_case_matches_the_spec_table) {
  BOOST_TEST(kebab_case("Test World") == "test-world");
  BOOST_TEST(kebab_case("MyAgent") == "my-agent");
  BOOST_TEST(kebab_case("camelCaseName") == "camel-case-name");
  BOOST_TEST(kebab_case("GPT-4 Bot") == "gpt-4-bot");
  BOOST_TEST(kebab_case("agent_1") == "agent-1");
  BOOST_TEST(kebab_case("  Hello!! ") == "hello");
  BOOST_TEST(kebab_case("HTTPServer") == "httpserver");
  BOOST_TEST(kebab_case("Ünïcode Bot") == "n-code-bot");
  BOOST_TEST(kebab_case("ws-test-world") == "ws-test-world");
}

BOOST_AUTO_TEST_CASE(kebab_case_rejects_inputs_without_ascii_alnum) {
  BOOST_TEST(kebab_case("助手").empty());
  BOOST_TEST(kebab_case("!!!").empty());
  BOOST_TEST(kebab_case("").empty());
  BOOST_TEST(kebab_case(" \t\n").empty());
}

BOOST_AUTO_TEST_CASE(kebab_case_is_idempotent) {
  for (const char* s : {"Test World", "a--b", "-x-", "A B  C", "aB_cD"}) {
    std::string once = kebab_case(s);
    BOOST_TEST(kebab_case(once) == once);
  }
}

BOOST_AUTO_TEST_CASE(random_ids_have_length_and_alphabet) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = new_message_id();
    BOOST_REQUIRE(id.size() == 21u);
    for (char c : id) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      BOOST_REQUIRE(ok);
    }
    seen.insert(id);
  }
  BOOST_TEST(seen.size() == 1000u);
  BOOST_TEST(new_activity_event_id().size() == 10u);
  BOOST_TEST(new_epoch().size() >= 16u);
}

BOOST_AUTO_TEST_CASE(chat_id_has_the_compat_shape) {
  std::string id = new_chat_id(1730000000000);
  BOOST_TEST(id.rfind("chat-1730000000000-", 0) == 0u);
  std::string tail = id.substr(std::string("chat-1730000000000-").size());
  BOOST_TEST(tail.size() == 9u);
  for (char c : tail) BOOST_TEST(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw
