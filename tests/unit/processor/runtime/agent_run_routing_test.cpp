// AgentRun routing against the acceptance checklist (agent-runtime.md §15, cases 1-13 and 31).
#include "processor/runtime/agent_run.h"

#include <boost/test/unit_test.hpp>

#include "tests/unit/processor/runtime/run_assertions.h"
#include "tests/unit/processor/runtime/run_fixture.h"

using namespace aw::processor;
using namespace aw::processor::testing;
using Lines = std::vector<std::string>;

namespace {

struct RoutingFixture : RunFixture {
  RoutingFixture() {
    replies("a1", {"Hi from a1"});
    replies("a2", {"Hi from a2"});
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(agent_run_routing, RoutingFixture)

BOOST_AUTO_TEST_CASE(case01_everyone_answers_a_human_in_order_without_prefix) {
  trigger("human", "Hello everyone!");
  run();
  BOOST_TEST(responders(*this) == (Lines{"a1", "a2"}));
  BOOST_TEST(responded_once(*this, "a1") == "Hi from a1");
  BOOST_TEST(responded_once(*this, "a2") == "Hi from a2");
  // a2's SSE start follows a1's end (requests of a run never overlap).
  BOOST_TEST(trace() == (Lines{"world response-start p=1 agent:a1", "world response-start p=2 agent:a2", "sse start a1",
                               "sse end a1", "message a1: Hi from a1", "world response-end p=1 agent:a1",
                               "sse start a2", "sse end a2", "message a2: Hi from a2", "world idle p=0 agent:a2"}));
  expect_single_idle_then_commit(*this);
  expect_indexed_in_run_chat(*this);
}

BOOST_AUTO_TEST_CASE(case02_a_paragraph_mention_addresses_one_agent) {
  for (const char* content : {"@a1, please help", "@A1 please help"}) {
    RoutingFixture f;
    f.trigger("human", content);
    f.run();
    BOOST_TEST(responders(f) == Lines{"a1"}, content);
    expect_single_idle_then_commit(f);
  }
}

BOOST_AUTO_TEST_CASE(case03_a_mid_text_mention_addresses_nobody) {
  trigger("human", "Hello @a1, how are you?");
  run();
  BOOST_TEST(trace() == Lines{"world idle p=0 -"});
  BOOST_TEST(llm.requests().empty());
  expect_single_idle_then_commit(*this);
  BOOST_TEST(commit->messages.empty());
  BOOST_TEST(commit->memory.empty());
}

BOOST_AUTO_TEST_CASE(case04_a_mention_at_a_later_paragraph_start_counts) {
  trigger("human", "Hello all\n   @a1 please");
  run();
  BOOST_TEST(responders(*this) == Lines{"a1"});
}

BOOST_AUTO_TEST_CASE(case05_two_paragraph_mentions_address_both) {
  trigger("human", "@a1 start.\n@a2 next.");
  run();
  BOOST_TEST(responders(*this) == (Lines{"a1", "a2"}));
}

BOOST_AUTO_TEST_CASE(case06_an_empty_human_message_reaches_everyone) {
  trigger("human", "");
  run();
  BOOST_TEST(responders(*this) == (Lines{"a1", "a2"}));
  BOOST_TEST(llm.requests().at(0).messages.back().content == "");
}

BOOST_AUTO_TEST_CASE(case07_an_email_address_is_not_a_mention) {
  trigger("human", "mail me at x@y.com");
  run();
  BOOST_TEST(responders(*this) == (Lines{"a1", "a2"}));
}

BOOST_AUTO_TEST_CASE(case08_world_messages_reset_counters_and_replies_start_with_at_world) {
  agent("a1").llm_call_count = 3;
  agent("a2").llm_call_count = 5;
  trigger("world", "@a1 tick");
  run();
  BOOST_TEST(responders(*this) == (Lines{"a1", "a2"}));
  BOOST_TEST(responded_once(*this, "a1") == "@world Hi from a1");
  BOOST_TEST(responded_once(*this, "a2") == "@world Hi from a2");
  BOOST_TEST(counters(*this, "a1")->llm_call_count == 1);  // reset to 0, then one call
  BOOST_TEST(counters(*this, "a2")->llm_call_count == 1);
}

BOOST_AUTO_TEST_CASE(case09_system_messages_reach_nobody_and_keep_counters) {
  agent("a1").llm_call_count = 2;
  trigger("System", "maintenance");
  run();
  BOOST_TEST(trace() == Lines{"world idle p=0 -"});
  BOOST_TEST(commit->agents.empty());
  expect_single_idle_then_commit(*this);
}

BOOST_AUTO_TEST_CASE(case10_an_agent_message_reaches_its_paragraph_mention) {
  replies("a2", {"<world>DONE</world> Done."});  // an auto-mentioned reply would bring a1 in
  trigger("a1", "@a2 do X");
  run();
  BOOST_TEST(responders(*this) == Lines{"a2"});
  BOOST_TEST(responded_once(*this, "a2") == "Done.");
}

BOOST_AUTO_TEST_CASE(case11_mid_text_agent_mentions_and_own_messages_reach_nobody) {
  trigger("a1", "I think @a2 should");
  run();
  BOOST_TEST(responders(*this).empty());
  RoutingFixture own;
  own.trigger("A1", "@a1 hello");
  own.run();
  BOOST_TEST(responders(own).empty());
  expect_single_idle_then_commit(own);
}

BOOST_AUTO_TEST_CASE(case12_a_personal_name_is_a_human) {
  agent("a1").llm_call_count = 4;
  trigger("alice", "hi");
  run();
  BOOST_TEST(responders(*this) == (Lines{"a1", "a2"}));
  BOOST_TEST(responded_once(*this, "a1") == "Hi from a1");  // not prefixed
  BOOST_TEST(counters(*this, "a1")->llm_call_count == 1);
}

BOOST_AUTO_TEST_CASE(case13_a_human_quoting_turn_limit_reached_is_routed) {
  trigger("human", "It said Turn limit reached");
  run();
  BOOST_TEST(responders(*this) == (Lines{"a1", "a2"}));
}

BOOST_AUTO_TEST_CASE(case31_activity_events_of_two_responders) {
  run();
  const auto world = of_type(EventType::World);
  BOOST_REQUIRE(world.size() == 4u);
  BOOST_TEST(world[0].str("type") == "response-start");
  BOOST_TEST(world[0].num("pendingOperations") == 1);
  BOOST_TEST(world[0].str("source") == "agent:a1");
  BOOST_TEST(world[1].str("type") == "response-start");
  BOOST_TEST(world[1].num("pendingOperations") == 2);
  BOOST_TEST(world[1].str("source") == "agent:a2");
  BOOST_TEST(world[2].str("type") == "response-end");
  BOOST_TEST(world[2].num("pendingOperations") == 1);
  BOOST_TEST(world[2].str("source") == "agent:a1");
  BOOST_TEST(world[3].str("type") == "idle");
  BOOST_TEST(world[3].str("source") == "agent:a2");
  for (const auto& e : world) {
    BOOST_TEST(e.num("activityId") == 7);
    BOOST_TEST(e.str("runId") == "trigger-1");
    BOOST_TEST(e.str("messageId").size() == 10u);
    BOOST_TEST(e.str("timestamp").size() == 24u);  // 2025-11-02T12:00:00.000Z
  }
  // The queue object: a2 waits behind a1 until a1 completes.
  const auto& queue = (*world[2].payload)["queue"];
  BOOST_TEST(*aw::json::get_int(queue, "queueLength") == 1);
  BOOST_TEST(*aw::json::get_string(queue, "nextAgent") == "a2");
  BOOST_TEST(*aw::json::get_string(queue, "nextWorld") == "w");
  BOOST_TEST(*aw::json::get_int(queue, "maxQueueSize") == 100);
  BOOST_TEST(!aw::json::find((*world[3].payload)["queue"], "nextAgent"));
  BOOST_TEST((*world[1].payload)["activeSources"].Size() == 2u);
  BOOST_TEST((*world[3].payload)["activeSources"].Size() == 0u);
}

BOOST_AUTO_TEST_CASE(incoming_rows_are_stored_for_responders_only) {
  trigger("human", "@a1 only you");
  run();
  BOOST_REQUIRE(commit->memory.size() == 2u);
  const MemoryRow& incoming = commit->memory[0];
  BOOST_TEST(incoming.agent_id == "a1");
  BOOST_TEST(incoming.role == "user");
  BOOST_TEST(incoming.sender == "human");
  BOOST_TEST(incoming.message_id == "trigger-1");
  BOOST_TEST(incoming.chat_id == "chat-1");
  BOOST_TEST(incoming.content == "@a1 only you");
}

BOOST_AUTO_TEST_SUITE_END()
