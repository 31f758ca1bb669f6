// Cancellation, deadline and silencing of an attempt (agent-runtime.md §4.4, bus-protocol.md §8; §15 case 33).
// Aborts come from another thread while the scripted LLM request blocks, as the bus worker's would.
#include "processor/runtime/agent_run.h"

#include <boost/test/unit_test.hpp>

#include "tests/unit/processor/runtime/run_assertions.h"
#include "tests/unit/processor/runtime/run_fixture.h"

using namespace aw::processor;
using namespace aw::processor::testing;
using Lines = std::vector<std::string>;

namespace {

struct AbortFixture : RunFixture {
  // a1 streams "Hel", then `cause` arrives from another thread, then a1's request blocks until cancelled.
  void a1_aborted_mid_stream(AbortCause cause) {
    ScriptedReply streaming = text_reply("Hel");
    streaming.after_deltas = [this, cause] { abort_from_other_thread(cause); };
    streaming.block_until_cancelled = true;
    scripted_replies("a1", {streaming});
    replies("a2", {"never"});
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(agent_run_abort, AbortFixture)

BOOST_AUTO_TEST_CASE(case33_cancel_while_a1_streams_drops_a2_and_commits_cancelled) {
  a1_aborted_mid_stream(AbortCause::Cancelled);
  run();
  BOOST_TEST(trace(true) ==
             (Lines{"world response-start p=1 agent:a1", "world response-start p=2 agent:a2", "sse start a1",
                    "sse chunk a1: Hel", "sse error a1: Cancelled", "world idle p=0 agent:a1"}));
  BOOST_TEST(llm.requests_for("model-a2").empty());
  expect_single_idle_then_commit(*this, CommitOutcome::Cancelled);
  BOOST_TEST(commit->messages.empty());
  // What happened before the abort is committed: both incoming rows and a1's counted call.
  BOOST_TEST(commit->memory.size() == 2u);
  BOOST_TEST(counters(*this, "a1")->llm_call_count == 1);
  BOOST_TEST(counters(*this, "a2") == nullptr);
}

BOOST_AUTO_TEST_CASE(chat_deleted_is_a_cancel) {
  a1_aborted_mid_stream(AbortCause::ChatDeleted);
  run();
  BOOST_TEST(of_type(EventType::Sse, "error").at(0).str("error") == "Cancelled");
  expect_single_idle_then_commit(*this, CommitOutcome::Cancelled);
}

BOOST_AUTO_TEST_CASE(a_cancel_between_responses_keeps_what_completed) {
  ScriptedReply first = text_reply("done first");
  first.after_deltas = [this] { abort_from_other_thread(AbortCause::Cancelled); };
  scripted_replies("a1", {first});  // completes despite the cancel: the request had already ended
  replies("a2", {"never"});
  run();
  BOOST_TEST(trace() == (Lines{"world response-start p=1 agent:a1", "world response-start p=2 agent:a2", "sse start a1",
                               "sse end a1", "message a1: done first", "world idle p=0 agent:a1"}));
  expect_single_idle_then_commit(*this, CommitOutcome::Cancelled);
  BOOST_REQUIRE(commit->messages.size() == 1u);
  BOOST_TEST(commit->messages[0].content == "done first");
}

BOOST_AUTO_TEST_CASE(the_deadline_aborts_the_request_and_commits_run_timeout) {
  item.deadline_ms = 150;
  ScriptedReply stalled = text_reply("Hel");
  stalled.block_until_cancelled = true;
  scripted_replies("a1", {stalled});
  replies("a2", {"never"});
  const auto started = std::chrono::steady_clock::now();
  run();
  BOOST_TEST((std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(150)));
  BOOST_TEST(of_type(EventType::Sse, "error").at(0).str("error") == "Run timed out after 0.15 s");
  BOOST_TEST(of_type(EventType::System).empty());
  BOOST_TEST(llm.requests_for("model-a2").empty());
  expect_single_idle_then_commit(*this, CommitOutcome::RunTimeout);
}

BOOST_AUTO_TEST_CASE(the_deadline_counts_from_the_grant) {
  RunOptions options;
  options.granted_at = std::chrono::steady_clock::now() - std::chrono::hours(1);
  replies("a1", {"late"});
  run(options);
  // Already past the deadline when execute() starts: nothing is routed, one idle, run_timeout.
  BOOST_TEST(trace() == Lines{"world idle p=0 -"});
  BOOST_TEST(llm.requests().empty());
  expect_single_idle_then_commit(*this, CommitOutcome::RunTimeout);
}

BOOST_AUTO_TEST_CASE(world_deleted_stops_at_once_without_commit) {
  a1_aborted_mid_stream(AbortCause::WorldDeleted);
  auto result = run();
  BOOST_TEST(!result.has_value());
  // Nothing after the abort: no SSE error, no idle.
  BOOST_TEST(trace(true) == (Lines{"world response-start p=1 agent:a1", "world response-start p=2 agent:a2",
                                   "sse start a1", "sse chunk a1: Hel"}));
}

BOOST_AUTO_TEST_CASE(stale_after_a_cancel_still_silences) {
  ScriptedReply streaming = text_reply("Hel");
  streaming.after_deltas = [this] {
    abort_from_other_thread(AbortCause::Cancelled);
    abort_from_other_thread(AbortCause::Stale);
  };
  streaming.block_until_cancelled = true;
  scripted_replies("a1", {streaming});
  BOOST_TEST(!run().has_value());
  BOOST_TEST(of_type(EventType::Sse, "error").empty());
  BOOST_TEST(of_type(EventType::World, "idle").empty());
}

BOOST_AUTO_TEST_CASE(a_cancel_before_the_run_starts_emits_only_the_idle) {
  RunFixture& f = *this;
  replies("a1", {"x"});
  AgentRun early(f.item, f.llm, f.sink, RunOptions{});
  early.abort(AbortCause::Cancelled);
  commit = early.execute();
  BOOST_TEST(trace() == Lines{"world idle p=0 -"});
  BOOST_TEST(llm.requests().empty());
  expect_single_idle_then_commit(*this, CommitOutcome::Cancelled);
}

BOOST_AUTO_TEST_SUITE_END()
