// Sender classification and the routing decision algorithm (agent-runtime.md §3.1, §3.3).
#include "processor/runtime/router.h"

#include <boost/test/unit_test.hpp>

using namespace aw::processor;

namespace {

std::vector<RoutingAgentView> two_agents(std::int64_t a1_calls = 0, std::int64_t a2_calls = 0) {
  return {{"a1", a1_calls, 0, false}, {"a2", a2_calls, 0, false}};
}

using D = AgentDecision;
using Decisions = std::vector<AgentDecision>;

Decisions decide(const std::string& sender, const std::string& content,
                 const std::vector<RoutingAgentView>& agents = two_agents(), std::int64_t turn_limit = 5) {
  return plan_routing(sender, content, agents, turn_limit).decisions;
}

}  // namespace

BOOST_TEST_DONT_PRINT_LOG_VALUE(AgentDecision)

BOOST_AUTO_TEST_SUITE(router)

BOOST_AUTO_TEST_CASE(senders_classify_case_insensitively_after_trimming) {
  auto agents = two_agents();
  BOOST_TEST((classify_sender("System", agents) == SenderKind::System));
  BOOST_TEST((classify_sender(" WORLD ", agents) == SenderKind::World));
  BOOST_TEST((classify_sender("A1", agents) == SenderKind::Agent));
  for (const char* human : {"human", "user", "you", "alice", ""}) {
    BOOST_TEST((classify_sender(human, agents) == SenderKind::Human), human);
  }
}

BOOST_AUTO_TEST_CASE(human_without_mentions_addresses_everyone) {
  BOOST_TEST(decide("human", "Hello everyone!") == (Decisions{D::Respond, D::Respond}));
  BOOST_TEST(decide("human", "") == (Decisions{D::Respond, D::Respond}));
  BOOST_TEST(decide("human", "mail me at x@y.com") == (Decisions{D::Respond, D::Respond}));
  BOOST_TEST(decide("human", "It said Turn limit reached") == (Decisions{D::Respond, D::Respond}));
}

BOOST_AUTO_TEST_CASE(human_with_paragraph_mentions_addresses_only_those) {
  BOOST_TEST(decide("human", "@a1, please help") == (Decisions{D::Respond, D::Skip}));
  BOOST_TEST(decide("human", "@A1 please help") == (Decisions{D::Respond, D::Skip}));
  BOOST_TEST(decide("human", "Hello all\n   @a1 please") == (Decisions{D::Respond, D::Skip}));
  BOOST_TEST(decide("human", "@a1 start.\n@a2 next.") == (Decisions{D::Respond, D::Respond}));
}

BOOST_AUTO_TEST_CASE(human_with_only_mid_text_mentions_addresses_nobody) {
  BOOST_TEST(decide("human", "Hello @a1, how are you?") == (Decisions{D::Skip, D::Skip}));
}

BOOST_AUTO_TEST_CASE(world_messages_are_broadcasts_and_reset_counters) {
  auto plan = plan_routing("world", "@a1 tick", two_agents(3, 5), 5);
  BOOST_TEST(plan.reset_counters);
  BOOST_TEST(plan.decisions == (Decisions{D::Respond, D::Respond}));
}

BOOST_AUTO_TEST_CASE(system_messages_reach_nobody_and_keep_counters) {
  auto plan = plan_routing("System", "hello", two_agents(2, 2), 5);
  BOOST_TEST(!plan.reset_counters);
  BOOST_TEST(plan.decisions == (Decisions{D::Skip, D::Skip}));
}

BOOST_AUTO_TEST_CASE(agent_messages_reach_paragraph_mentions_only_and_never_the_sender) {
  BOOST_TEST(decide("a1", "@a2 do X") == (Decisions{D::Skip, D::Respond}));
  BOOST_TEST(decide("a1", "I think @a2 should") == (Decisions{D::Skip, D::Skip}));
  BOOST_TEST(decide("A1", "@a1 hello") == (Decisions{D::Skip, D::Skip}));
  BOOST_TEST(!plan_routing("a1", "@a2 hi", two_agents(4, 4), 5).reset_counters);
}

BOOST_AUTO_TEST_CASE(a_human_resets_counters_before_the_limit_is_checked) {
  auto plan = plan_routing("alice", "hi", two_agents(5, 5), 5);
  BOOST_TEST(plan.reset_counters);
  BOOST_TEST(plan.decisions == (Decisions{D::Respond, D::Respond}));
}

BOOST_AUTO_TEST_CASE(an_addressed_agent_at_its_limit_publishes_a_notice_once) {
  BOOST_TEST(decide("a1", "@a2 hi", two_agents(0, 5)) == (Decisions{D::Skip, D::TurnLimitNotice}));
  std::vector<RoutingAgentView> noticed = {{"a1", 0, 0, false}, {"a2", 5, 0, true}};
  BOOST_TEST(decide("a1", "@a2 hi", noticed) == (Decisions{D::Skip, D::Skip}));
}

BOOST_AUTO_TEST_CASE(an_agent_not_addressed_at_its_limit_publishes_nothing) {
  BOOST_TEST(decide("a1", "@b hi", two_agents(0, 5)) == (Decisions{D::Skip, D::Skip}));
}

BOOST_AUTO_TEST_CASE(scheduled_responses_count_towards_the_limit) {
  std::vector<RoutingAgentView> agents = {{"a1", 0, 0, false}, {"a2", 3, 2, false}};
  BOOST_TEST(decide("a1", "@a2 hi", agents) == (Decisions{D::Skip, D::TurnLimitNotice}));
  agents[1].scheduled_not_started = 1;
  BOOST_TEST(decide("a1", "@a2 hi", agents) == (Decisions{D::Skip, D::Respond}));
}

BOOST_AUTO_TEST_CASE(runtime_notices_are_ignored_but_a_human_quoting_one_is_routed) {
  const std::string notice = turn_limit_notice_text(5);
  BOOST_TEST(notice == "@human Turn limit reached (5 LLM calls). Please take control of the conversation.");
  BOOST_TEST(decide("a1", notice) == (Decisions{D::Skip, D::Skip}));
  auto plan = plan_routing("a1", notice, two_agents(), 5);
  BOOST_TEST(!plan.reset_counters);
  // From a human the same text is routed normally: it mentions @human, nobody else, at a paragraph start.
  BOOST_TEST(decide("human", notice) == (Decisions{D::Skip, D::Skip}));
  BOOST_TEST(plan_routing("human", notice, two_agents(), 5).reset_counters);
}

BOOST_AUTO_TEST_SUITE_END()
