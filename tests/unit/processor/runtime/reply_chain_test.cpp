// The replyToMessageId rule (agent-runtime.md §5).
#include "processor/runtime/reply_chain.h"

#include <boost/test/unit_test.hpp>

using aw::processor::ReplyChain;

BOOST_AUTO_TEST_SUITE(reply_chain)

BOOST_AUTO_TEST_CASE(a_normal_parent_is_kept) {
  ReplyChain chain;
  chain.add("t", std::nullopt);
  chain.add("x1", std::string("t"));
  BOOST_TEST(*chain.checked_parent("x2", "x1") == "x1");
}

BOOST_AUTO_TEST_CASE(an_unknown_parent_is_kept) {
  ReplyChain chain;
  BOOST_TEST(*chain.checked_parent("x", "somewhere") == "somewhere");
}

BOOST_AUTO_TEST_CASE(a_parent_equal_to_the_reply_is_cleared) {
  ReplyChain chain;
  BOOST_TEST(!chain.checked_parent("x", "x").has_value());
}

BOOST_AUTO_TEST_CASE(a_looping_parent_chain_is_cleared) {
  ReplyChain chain;
  chain.add("p", std::string("q"));
  chain.add("q", std::string("p"));
  BOOST_TEST(!chain.checked_parent("x", "p").has_value());
  ReplyChain through_reply;
  through_reply.add("p", std::string("x"));  // following parents comes back to the reply itself
  BOOST_TEST(!through_reply.checked_parent("x", "p").has_value());
}

BOOST_AUTO_TEST_CASE(one_hundred_ancestors_clear_the_parent_ninety_nine_keep_it) {
  ReplyChain chain;
  chain.add("m0", std::nullopt);
  for (int i = 1; i < 100; ++i) chain.add("m" + std::to_string(i), "m" + std::to_string(i - 1));
  // The parent m98 has 98 ancestors of its own: the reply has 99.
  BOOST_TEST(*chain.checked_parent("r", "m98") == "m98");
  // The parent m99: 100 ancestors for the reply.
  BOOST_TEST(!chain.checked_parent("r", "m99").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
