// Reply post-processing (agent-runtime.md §5.1; acceptance cases 18-22).
#include "processor/runtime/reply_postprocessor.h"

#include <boost/test/unit_test.hpp>

using aw::processor::postprocess_reply;
using aw::processor::ReplyContext;

namespace {

std::string from_agent(const std::string& agent, const std::string& raw, const std::string& sender) {
  ReplyContext context;
  context.agent_id = agent;
  context.message_sender = sender;
  context.sender_is_human = false;
  return postprocess_reply(raw, context);
}

std::string to_human(const std::string& agent, const std::string& raw, const std::string& sender = "human") {
  ReplyContext context;
  context.agent_id = agent;
  context.message_sender = sender;
  context.sender_is_human = true;
  return postprocess_reply(raw, context);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reply_postprocessor)

BOOST_AUTO_TEST_CASE(a_reply_to_an_agent_addressing_nobody_is_mentioned_back) {
  BOOST_TEST(from_agent("a2", "Sure.", "a1") == "@a1 Sure.");
  BOOST_TEST(from_agent("a2", "  Sure.  \n", "a1") == "@a1 Sure.");
  BOOST_TEST(from_agent("a2", "@a3 over to you", "a1") == "@a3 over to you");
}

BOOST_AUTO_TEST_CASE(a_reply_to_world_gets_the_world_prefix) {
  BOOST_TEST(from_agent("a1", "tock", "world") == "@world tock");
}

BOOST_AUTO_TEST_CASE(self_mentions_at_line_starts_are_removed_mid_line_ones_stay) {
  BOOST_TEST(from_agent("a2", "@a2, @a2 I will", "a1") == "@a1 I will");
  BOOST_TEST(to_human("a2", "Hi") == "Hi");
  BOOST_TEST(to_human("a2", "I am @a2 indeed") == "I am @a2 indeed");
  BOOST_TEST(to_human("a2", "line one\n  @A2,\tsecond") == "line one\n  second");
}

BOOST_AUTO_TEST_CASE(a_reply_that_is_only_self_mentions_is_blank) {
  BOOST_TEST(to_human("a1", "@a1 @a1") == "");
  BOOST_TEST(from_agent("a1", "@a1 @a1", "a2") == "");
}

BOOST_AUTO_TEST_CASE(stop_tags_end_the_chain) {
  BOOST_TEST(from_agent("a2", "<world>STOP</world> done", "a1") == "done");
  BOOST_TEST(to_human("a2", "Thanks <world>STOP</world>") == "Thanks");
  BOOST_TEST(from_agent("a2", "@a1 <world>DONE</world> finished", "a1") == "finished");
  BOOST_TEST(from_agent("a2", "@e <world>PASS</world>\n@f text", "a1") == "text");
  BOOST_TEST(from_agent("a2", "<World> stop </WORLD>@x, @y go", "a1") == "go");
}

BOOST_AUTO_TEST_CASE(to_tags_replace_the_addressees) {
  BOOST_TEST(from_agent("a2", "<world>TO: x, y</world> hi", "a1") == "@x\n@y\n\nhi");
  BOOST_TEST(from_agent("a2", "<world>TO: @x, X, a2, ,y</world>", "a1") == "@x\n@y");
  BOOST_TEST(from_agent("a2", "@z hi <world>to: x</world>", "a1") == "@x\n\nhi");
}

BOOST_AUTO_TEST_CASE(an_empty_to_tag_is_just_removed) {
  BOOST_TEST(from_agent("a2", "<world>TO:</world> x", "a1") == "@a1 x");
}

BOOST_AUTO_TEST_CASE(other_tags_are_removed_and_unclosed_ones_are_text) {
  BOOST_TEST(to_human("a1", "a <world>whatever</world>b") == "a b");
  BOOST_TEST(to_human("a1", "a <world>STOP") == "a <world>STOP");
}

BOOST_AUTO_TEST_CASE(a_reply_to_its_own_message_is_not_auto_mentioned) {
  BOOST_TEST(from_agent("a1", "again", "A1") == "again");
}

BOOST_AUTO_TEST_SUITE_END()
