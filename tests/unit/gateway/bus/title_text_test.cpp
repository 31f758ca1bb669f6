// Title texts (agent-runtime.md §10.2): clean-up of a raw completion, the derived title and the job's lines.
#include <boost/test/unit_test.hpp>

#include "gateway/bus/title_text.h"

namespace aw::gateway::bus::test {
namespace {

storage::ConversationMessage msg(const std::string& sender, const std::string& content) {
  storage::ConversationMessage m;
  m.sender = sender;
  m.content = content;
  return m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(title_text)

BOOST_AUTO_TEST_CASE(clean_title_strips_quotes_markdown_and_whitespace) {
  BOOST_TEST(clean_title("  \"Trip Planning\"  ") == "Trip Planning");
  BOOST_TEST(clean_title("'Trip' ") == "Trip");
  BOOST_TEST(clean_title("**Bold**\r\n\nTitle") == "Bold Title");
  BOOST_TEST(clean_title("a \t  b") == "a b");
  BOOST_TEST(clean_title("\"\"") == "");
  BOOST_TEST(clean_title("   ") == "");
  const std::string cut = clean_title(std::string(120, 'x'));
  BOOST_TEST(cut == std::string(97, 'x') + "...");
  BOOST_TEST(clean_title(std::string(100, 'y')) == std::string(100, 'y'));
  // Characters, not bytes: 101 two-byte characters are cut to 97 of them + "...".
  std::string umlauts;
  for (int i = 0; i < 101; ++i) umlauts += "\xC3\xBC";
  std::string expected;
  for (int i = 0; i < 97; ++i) expected += "\xC3\xBC";
  BOOST_TEST(clean_title(umlauts) == expected + "...");
}

BOOST_AUTO_TEST_CASE(derived_title_is_the_first_non_blank_human_message) {
  const std::vector<std::string> agents = {"a1"};
  BOOST_TEST(derived_title({msg("a1", "hi"), msg("human", "   "), msg("alice", "  plan \n a   trip ")}, agents) ==
             "plan a trip");
  BOOST_TEST(derived_title({msg("world", "w"), msg("system", "s")}, agents) == "Chat");
  BOOST_TEST(derived_title({msg("HUMAN", std::string(70, 'q'))}, agents) == std::string(50, 'q'));
}

BOOST_AUTO_TEST_CASE(lines_classify_senders_skip_system_and_notices_and_keep_the_last_20) {
  const std::vector<std::string> agents = {"a1"};
  auto lines = title_lines({msg("human", "q"), msg("WORLD", "w"), msg("A1", "r"), msg("system", "s"),
                            msg("a1", "@human Turn limit reached (5)")},
                           agents);
  BOOST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines[0] == "-user: q");
  BOOST_TEST(lines[1] == "-user: w");
  BOOST_TEST(lines[2] == "-assistant: r");

  std::vector<storage::ConversationMessage> many;
  for (int i = 0; i < 25; ++i) many.push_back(msg("human", std::to_string(i)));
  many.push_back(msg("human", std::string(600, 'z')));
  lines = title_lines(many, agents);
  BOOST_REQUIRE(lines.size() == 20u);
  BOOST_TEST(lines.front() == "-user: 6");
  BOOST_TEST(lines.back() == "-user: " + std::string(500, 'z'));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus::test
