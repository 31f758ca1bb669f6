// Run-scoped activity accounting (agent-runtime.md §9).
#include "processor/runtime/activity_tracker.h"

#include <boost/test/unit_test.hpp>

using namespace aw::processor;
using Sources = std::vector<std::string>;

BOOST_TEST_DONT_PRINT_LOG_VALUE(ActivityType)

BOOST_AUTO_TEST_SUITE(activity_tracker)

BOOST_AUTO_TEST_CASE(two_responders_follow_the_example_of_the_spec) {
  ActivityTracker t;
  auto s1 = t.schedule("a1");
  BOOST_TEST((s1.type == ActivityType::ResponseStart));
  BOOST_TEST(s1.pending_operations == 1);
  BOOST_TEST(*s1.source == "agent:a1");
  BOOST_TEST(s1.queue_length == 1);
  BOOST_TEST(*s1.next_agent == "a1");
  auto s2 = t.schedule("a2");
  BOOST_TEST(s2.pending_operations == 2);
  BOOST_TEST(s2.active_sources == (Sources{"agent:a1", "agent:a2"}));
  t.begin("a1");
  auto e1 = t.complete("a1");
  BOOST_TEST((e1.type == ActivityType::ResponseEnd));
  BOOST_TEST(e1.pending_operations == 1);
  BOOST_TEST(*e1.source == "agent:a1");
  BOOST_TEST(e1.active_sources == Sources{"agent:a2"});
  BOOST_TEST(*e1.next_agent == "a2");
  t.begin("a2");
  auto e2 = t.complete("a2");
  BOOST_TEST((e2.type == ActivityType::Idle));
  BOOST_TEST(e2.pending_operations == 0);
  BOOST_TEST(*e2.source == "agent:a2");
  BOOST_TEST(e2.active_sources.empty());
  BOOST_TEST(!e2.next_agent.has_value());
}

BOOST_AUTO_TEST_CASE(an_agent_scheduled_twice_is_one_active_source) {
  ActivityTracker t;
  t.schedule("a1");
  t.begin("a1");
  auto s = t.schedule("a1");  // a chain hop back to a1 while its first response is still in flight
  BOOST_TEST(s.pending_operations == 2);
  BOOST_TEST(s.active_sources == Sources{"agent:a1"});
  BOOST_TEST(s.queue_length == 1);
}

BOOST_AUTO_TEST_CASE(the_processing_flag_follows_the_llm_request) {
  ActivityTracker t;
  t.schedule("a1");
  t.schedule("a2");
  t.begin("a1");
  t.set_llm_in_flight(true);
  BOOST_TEST(t.schedule("a1").processing);
  t.set_llm_in_flight(false);
  BOOST_TEST(!t.complete("a1").processing);
}

BOOST_AUTO_TEST_CASE(dropping_waiting_responses_leaves_the_started_one) {
  ActivityTracker t;
  t.schedule("a1");
  t.schedule("a2");
  t.schedule("a3");
  t.begin("a1");
  BOOST_TEST(t.drop_waiting() == (Sources{"a2", "a3"}));
  BOOST_TEST(t.pending() == 1);
  auto last = t.complete("a1");
  BOOST_TEST((last.type == ActivityType::Idle));
  BOOST_TEST(*last.source == "agent:a1");
}

BOOST_AUTO_TEST_CASE(an_idle_of_a_run_nobody_answered_has_no_source) {
  ActivityTracker t;
  auto idle = t.idle(std::nullopt);
  BOOST_TEST((idle.type == ActivityType::Idle));
  BOOST_TEST(idle.pending_operations == 0);
  BOOST_TEST(!idle.source.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
