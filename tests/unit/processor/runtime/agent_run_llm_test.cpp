// LLM outcomes as the runtime sees them (agent-runtime.md §5 steps 4-5, §7.4, §8; §15 cases 27-30).
// Retries and the request timeout happen inside the LlmClient (providers); here the client's result is scripted.
#include "processor/runtime/agent_run.h"

#include <boost/test/unit_test.hpp>

#include "tests/unit/processor/runtime/run_assertions.h"
#include "tests/unit/processor/runtime/run_fixture.h"

using namespace aw::processor;
using namespace aw::processor::testing;
using Lines = std::vector<std::string>;

BOOST_FIXTURE_TEST_SUITE(agent_run_llm, RunFixture)

BOOST_AUTO_TEST_CASE(case27_a_success_after_provider_retries_is_one_response_and_one_count) {
  // The provider retried twice internally; the runtime sees one successful complete().
  ScriptedReply ok = text_reply("ok");
  ok.usage = LlmUsage{10, 1, 11};
  scripted_replies("a1", {ok});
  trigger("human", "@a1 hi");
  run();
  BOOST_TEST(trace(true) == (Lines{"world response-start p=1 agent:a1", "sse start a1", "sse chunk a1: ok",
                                   "sse end a1", "message a1: ok", "world idle p=0 agent:a1"}));
  const auto end = of_type(EventType::Sse, "end").at(0);
  const auto& usage = (*end.payload)["usage"];
  BOOST_TEST(*aw::json::get_int(usage, "inputTokens") == 10);
  BOOST_TEST(*aw::json::get_int(usage, "outputTokens") == 1);
  BOOST_TEST(*aw::json::get_int(usage, "totalTokens") == 11);
  BOOST_TEST(counters(*this, "a1")->llm_call_count == 1);
}

BOOST_AUTO_TEST_CASE(case28_a_failed_response_reports_and_the_run_goes_on) {
  scripted_replies("a1", {error_reply("401 Incorrect API key provided")});
  replies("a2", {"still here"});
  run();
  BOOST_TEST(trace() == (Lines{"world response-start p=1 agent:a1", "world response-start p=2 agent:a2", "sse start a1",
                               "sse error a1: 401 Incorrect API key provided",
                               R"(system {"message":"[Error] 401 Incorrect API key provided","type":"error"})",
                               "world response-end p=1 agent:a1", "sse start a2", "sse end a2",
                               "message a2: still here", "world idle p=0 agent:a2"}));
  const auto start = of_type(EventType::Sse, "start").at(0);
  const auto error = of_type(EventType::Sse, "error").at(0);
  BOOST_TEST(error.str("messageId") == start.str("messageId"));
  const auto system = of_type(EventType::System).at(0);
  BOOST_TEST(system.str("chatId") == "chat-1");
  BOOST_TEST(system.str("messageId").size() == 21u);
  BOOST_TEST(system.str("messageId") != start.str("messageId"));
  // The count is kept although the call failed; no a1 message or assistant row.
  BOOST_TEST(counters(*this, "a1")->llm_call_count == 1);
  for (const auto& row : commit->memory) BOOST_TEST(!(row.agent_id == "a1" && row.role == "assistant"));
  BOOST_TEST(commit->messages.size() == 1u);
  expect_single_idle_then_commit(*this);
}

BOOST_AUTO_TEST_CASE(partial_text_of_a_failed_response_is_discarded) {
  ScriptedReply broken = text_reply("half an ans");
  broken.error = "Connection error.";
  scripted_replies("a1", {broken});
  trigger("human", "@a1 hi");
  run();
  BOOST_TEST(of_type(EventType::Message).empty());
  BOOST_TEST(of_type(EventType::Sse, "chunk").size() == 3u);
  BOOST_TEST(of_type(EventType::Sse, "error").at(0).str("error") == "Connection error.");
  BOOST_TEST(of_type(EventType::Sse, "end").empty());
}

BOOST_AUTO_TEST_CASE(case29_an_empty_completion_publishes_start_and_end_only) {
  scripted_replies("a1", {ScriptedReply{}});
  trigger("human", "@a1 hi");
  run();
  BOOST_TEST(trace(true) ==
             (Lines{"world response-start p=1 agent:a1", "sse start a1", "sse end a1", "world idle p=0 agent:a1"}));
  BOOST_REQUIRE(commit->memory.size() == 1u);
  BOOST_TEST(commit->memory[0].role == "user");
}

BOOST_AUTO_TEST_CASE(case30_a_request_timeout_is_an_error_with_no_later_chunk) {
  ScriptedReply stalled = text_reply("slow");
  stalled.error = "Request timed out.";
  scripted_replies("a1", {stalled});
  trigger("human", "@a1 hi");
  run();
  const auto lines = trace(true);
  BOOST_TEST(lines ==
             (Lines{"world response-start p=1 agent:a1", "sse start a1", "sse chunk a1: slow",
                    "sse error a1: Request timed out.",
                    R"(system {"message":"[Error] Request timed out.","type":"error"})", "world idle p=0 agent:a1"}));
}

BOOST_AUTO_TEST_CASE(one_message_id_per_response_across_every_event_and_row) {
  replies("a1", {"@a2 one", "<world>STOP</world> end"});
  replies("a2", {"two"});
  trigger("human", "@a1 go");
  run();
  const auto starts = of_type(EventType::Sse, "start");
  BOOST_REQUIRE(starts.size() == 3u);  // a1, a2, a1 again (a2's reply is auto-mentioned back to a1)
  for (const auto& s : starts) {
    const std::string x = s.str("messageId");
    int ends = 0;
    for (const auto& e : of_type(EventType::Sse)) {
      if (e.str("messageId") == x) BOOST_TEST(e.str("agentName") == s.str("agentName"));
      ends += e.str("messageId") == x && e.kind() == "end" ? 1 : 0;
    }
    BOOST_TEST(ends == 1);
    int rows = 0;
    for (const auto& row : commit->memory) rows += row.message_id == x && row.role == "assistant" ? 1 : 0;
    BOOST_TEST(rows == 1);
  }
  BOOST_TEST(starts[0].str("messageId") != starts[2].str("messageId"));
}

BOOST_AUTO_TEST_CASE(a_reply_chain_past_the_history_keeps_its_parent) {
  // A parent unknown to the run (e.g. beyond the history window) is kept [compat].
  replies("a1", {"ok"});
  item.history["a1"] = {};
  trigger("human", "@a1 hi");
  run();
  BOOST_TEST(of_type(EventType::Message).at(0).str("replyToMessageId") == "trigger-1");
}

BOOST_AUTO_TEST_SUITE_END()
