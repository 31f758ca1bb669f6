// Turn limits through a whole run (agent-runtime.md §3.4; §15 cases 14-17).
#include "processor/runtime/agent_run.h"

#include <boost/test/unit_test.hpp>

#include "tests/unit/processor/runtime/run_assertions.h"
#include "tests/unit/processor/runtime/run_fixture.h"

using namespace aw::processor;
using namespace aw::processor::testing;
using Lines = std::vector<std::string>;

BOOST_FIXTURE_TEST_SUITE(agent_run_turn_limit, RunFixture)

BOOST_AUTO_TEST_CASE(case14_an_agent_at_its_limit_publishes_one_notice_nobody_answers) {
  agent("a2").llm_call_count = 5;
  replies("a1", {"should not be asked"});
  replies("a2", {"should not be asked"});
  trigger("a1", "@a2 hi");
  run();
  BOOST_TEST(llm.requests().empty());
  const auto messages = of_type(EventType::Message);
  BOOST_REQUIRE(messages.size() == 1u);
  BOOST_TEST(messages[0].str("sender") == "a2");
  BOOST_TEST(messages[0].str("content") ==
             "@human Turn limit reached (5 LLM calls). Please take control of the conversation.");
  BOOST_TEST(messages[0].str("replyToMessageId") == "trigger-1");
  BOOST_TEST(messages[0].str("messageId").size() == 21u);
  BOOST_TEST(trace() == (Lines{"message a2: @human Turn limit reached (5 LLM calls). Please take control of the "
                               "conversation.",
                               "world idle p=0 -"}));
  // The notice is in the commit's messages; notices create no memory and no activity.
  BOOST_REQUIRE(commit->messages.size() == 1u);
  BOOST_TEST(commit->messages[0].message_id == messages[0].str("messageId"));
  BOOST_TEST(commit->memory.empty());
  BOOST_TEST(commit->agents.empty());
  expect_single_idle_then_commit(*this);
}

BOOST_AUTO_TEST_CASE(case15_an_agent_at_its_limit_that_is_not_addressed_stays_silent) {
  agent("a2").llm_call_count = 5;
  trigger("a1", "@b hi");
  run();
  BOOST_TEST(of_type(EventType::Message).empty());
  BOOST_TEST(trace() == Lines{"world idle p=0 -"});
}

BOOST_AUTO_TEST_CASE(case16_a_human_resets_every_counter_an_agent_does_not) {
  agent("a1").llm_call_count = 2;
  agent("a2").llm_call_count = 4;
  replies("a1", {"ok"});
  trigger("human", "@a1 go");
  run();
  // a1: reset to 0, then its one call; a2: reset to 0 (a changed counter goes into the commit).
  BOOST_REQUIRE(commit->agents.size() == 2u);
  BOOST_TEST(counters(*this, "a1")->llm_call_count == 1);
  BOOST_TEST(counters(*this, "a1")->rev == 1);
  BOOST_TEST(counters(*this, "a1")->last_llm_call.has_value());
  BOOST_TEST(counters(*this, "a2")->llm_call_count == 0);

  RunFixture from_agent;
  from_agent.agent("a1").llm_call_count = 2;
  from_agent.agent("a2").llm_call_count = 4;
  from_agent.replies("a2", {"<world>DONE</world> fine"});
  from_agent.trigger("a1", "@a2 go");
  from_agent.run();
  BOOST_REQUIRE(from_agent.commit->agents.size() == 1u);  // a1 untouched
  BOOST_TEST(counters(from_agent, "a2")->llm_call_count == 5);
}

BOOST_AUTO_TEST_CASE(case17_a_ping_pong_chain_stops_at_the_limit) {
  item.world.turn_limit = 3;
  replies("a1", {"@a2 ping"});
  replies("a2", {"pong"});  // auto-mentioned back: "@a1 pong"
  trigger("human", "@a1 start");
  run();
  BOOST_TEST(llm.requests_for("model-a1").size() == 3u);
  BOOST_TEST(llm.requests_for("model-a2").size() == 3u);
  BOOST_TEST(counters(*this, "a1")->llm_call_count == 3);
  BOOST_TEST(counters(*this, "a2")->llm_call_count == 3);
  const auto messages = of_type(EventType::Message);
  BOOST_REQUIRE(messages.size() == 7u);  // 3 pings, 3 pongs, 1 notice
  BOOST_TEST(messages.back().str("sender") == "a1");
  BOOST_TEST(messages.back().str("content") ==
             "@human Turn limit reached (3 LLM calls). Please take control of the conversation.");
  BOOST_TEST(messages.back().str("replyToMessageId") == messages[5].str("messageId"));
  // Each hop replies to the previous message.
  BOOST_TEST(messages[0].str("replyToMessageId") == "trigger-1");
  for (std::size_t i = 1; i < 6; ++i) {
    BOOST_TEST(messages[i].str("replyToMessageId") == messages[i - 1].str("messageId"));
  }
  // Pending work never reaches 0 between hops: one idle, at the end.
  expect_single_idle_then_commit(*this);
  for (const auto& e : of_type(EventType::World)) {
    if (e.kind() != "idle") BOOST_TEST(e.num("pendingOperations") >= 1);
  }
}

BOOST_AUTO_TEST_SUITE_END()
