// Tests of to_chat_turns: system apart, merged roles, leading assistant dropped (agent-runtime.md §7.2).
#include "processor/providers/chat_turns.h"

#include <boost/test/unit_test.hpp>

namespace aw::processor::providers {

BOOST_AUTO_TEST_SUITE(chat_turns)

BOOST_AUTO_TEST_CASE(system_messages_join_and_leave_the_turns) {
  ChatTurns t = to_chat_turns({{"system", "A"}, {"user", "u"}, {"system", "B"}});
  BOOST_TEST(t.system == "A\n\nB");
  BOOST_REQUIRE_EQUAL(t.messages.size(), 1u);
  BOOST_TEST(t.messages[0].content == "u");
}

BOOST_AUTO_TEST_CASE(turns_alternate_and_start_with_user) {
  ChatTurns t =
      to_chat_turns({{"assistant", "x"}, {"assistant", "y"}, {"user", "a"}, {"tool", "b"}, {"assistant", "c"}});
  BOOST_REQUIRE_EQUAL(t.messages.size(), 2u);
  BOOST_TEST(t.messages[0].role == "user");
  BOOST_TEST(t.messages[0].content == "a\n\nb");  // an unknown role reads as user, merged with the user turn
  BOOST_TEST(t.messages[1].role == "assistant");
  BOOST_TEST(t.system.empty());
}

BOOST_AUTO_TEST_CASE(only_assistant_messages_give_no_turns) {
  BOOST_TEST(to_chat_turns({{"assistant", "x"}}).messages.empty());
  BOOST_TEST(to_chat_turns({}).messages.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers
