// Mention grammar (agent-runtime.md §3.2).
#include "processor/runtime/mentions.h"

#include <boost/test/unit_test.hpp>

using aw::processor::has_any_mention;
using aw::processor::mention_at;
using aw::processor::paragraph_beginning_mentions;
using Tokens = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(mentions)

BOOST_AUTO_TEST_CASE(paragraph_beginning_examples_of_the_spec_yield_a1) {
  for (const char* text : {"@a1, please", "x\n   @a1 hi", "@a1: hi", "@a1.hi", "\t\r@a1 tabbed"}) {
    BOOST_TEST(paragraph_beginning_mentions(text) == Tokens{"a1"}, text);
  }
}

BOOST_AUTO_TEST_CASE(quoted_bold_and_double_at_are_not_paragraph_mentions) {
  for (const char* text : {"> @a1", "**@a1**", "@@double", "Hello @a1, how are you?"}) {
    BOOST_TEST(paragraph_beginning_mentions(text).empty(), text);
  }
}

BOOST_AUTO_TEST_CASE(one_mention_per_line_in_line_order) {
  BOOST_TEST(paragraph_beginning_mentions("@a1 start.\n@a2 next.") == (Tokens{"a1", "a2"}));
  BOOST_TEST(paragraph_beginning_mentions("@a1 @a2 both") == Tokens{"a1"});
}

BOOST_AUTO_TEST_CASE(tokens_are_lowercased_with_underscore_read_as_dash) {
  BOOST_TEST(paragraph_beginning_mentions("@A1 hi") == Tokens{"a1"});
  BOOST_TEST(paragraph_beginning_mentions("@Agent_One hi") == Tokens{"agent-one"});
  BOOST_TEST(paragraph_beginning_mentions("@gpt-4-bot hi") == Tokens{"gpt-4-bot"});
}

BOOST_AUTO_TEST_CASE(a_trailing_dash_is_not_part_of_the_name) {
  auto m = mention_at("@a1- x", 0);
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->token == "a1");
  BOOST_TEST(m->end == 3u);
}

BOOST_AUTO_TEST_CASE(email_addresses_are_not_mentions) {
  BOOST_TEST(!has_any_mention("mail me at x@y.com"));
  BOOST_TEST(!has_any_mention("a_@b"));
  BOOST_TEST(has_any_mention("mail (@y) please"));
  BOOST_TEST(has_any_mention("Hello @a1, how are you?"));
}

BOOST_AUTO_TEST_CASE(a_lone_at_sign_is_no_mention) {
  BOOST_TEST(!has_any_mention("@ nobody"));
  BOOST_TEST(!has_any_mention("trailing @"));
  BOOST_TEST(!mention_at("@", 0).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
