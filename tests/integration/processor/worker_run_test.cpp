// The bus worker running granted attempts against a ScriptedGateway and aw-fake-llm (bus-protocol.md §5-§9):
// events with consecutive indexes, the commit and its re-sends, cancel, the deadline, title jobs, SIGTERM.
#include <signal.h>

#include <set>

#include <boost/test/unit_test.hpp>

#include "common/bus/bus_topics.h"
#include "common/json.h"
#include "tests/integration/processor/worker_fixture.h"

namespace {

using aw::test::as;
using aw::test::kind;
using aw::test::make_work;
using aw::test::Received;
using Ms = std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
namespace bus = aw::bus;

constexpr const char* kQuickReply = R"({"rules":[{"match":{"any":true},"reply":"Hello there","chunk_size":3}]})";
// Twenty chunks, 100 ms apart: a run that is still streaming when the test acts on it.
constexpr const char* kSlowReply =
    R"({"rules":[{"match":{"any":true},"reply":"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj","chunk_size":3,)"
    R"("delay_ms_per_chunk":100}]})";

std::string payload_field(const bus::Event& e, const char* key) {
  auto doc = aw::json::parse_trusted(e.payload_json);
  BOOST_REQUIRE(doc.is_ok());
  return aw::json::get_string(doc.value(), key).value_or("");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(worker_run, aw::test::WorkerFixture)

BOOST_AUTO_TEST_CASE(grant_streams_events_and_commits_until_acknowledged) {
  start(kQuickReply);
  start_processor();
  handshake();
  const bus::Work work = make_work("w", "r1", "model-a1");
  push_and_grant(work);
  auto commit = wait_commit("r1");
  BOOST_REQUIRE_MESSAGE(commit.has_value(), processor->stderr_text());

  const auto events = events_of("r1");
  BOOST_REQUIRE(!events.empty());
  std::set<std::string> sse_ids;
  std::string reply_id;
  for (std::size_t i = 0; i < events.size(); ++i) {
    BOOST_TEST(events[i].index == static_cast<std::int64_t>(i));
    BOOST_TEST(events[i].attempt == 1);
    BOOST_TEST(events[i].chat_id == "c1");
    BOOST_TEST(events[i].processor_id == processor_id);
    if (events[i].event_type == "sse") sse_ids.insert(payload_field(events[i], "messageId"));
    if (events[i].event_type == "message") reply_id = payload_field(events[i], "messageId");
  }
  BOOST_TEST(sse_ids.size() == 1u);  // start, chunks and end share the reply's id
  BOOST_TEST(!reply_id.empty());
  BOOST_TEST(*sse_ids.begin() == reply_id);

  BOOST_TEST(commit->last_index == static_cast<std::int64_t>(events.size()) - 1);
  BOOST_TEST((commit->outcome == bus::CommitOutcome::Completed));
  BOOST_REQUIRE(commit->messages.size() == 1u);
  BOOST_TEST(commit->messages[0].message_id == reply_id);
  BOOST_TEST(commit->messages[0].content == "Hello there");
  BOOST_TEST(commit->memory.size() == 2u);  // the trigger as user and the reply as assistant, for a1
  BOOST_REQUIRE(commit->agents.size() == 1u);
  BOOST_TEST(commit->agents[0].id == "a1");
  BOOST_TEST(commit->agents[0].rev == 7);
  BOOST_TEST(commit->agents[0].llm_call_count == 1);

  // Re-sent every heartbeatMs until the ack, listed in hb meanwhile.
  auto again = wait_commit("r1", Ms(3000));
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(again->last_index == commit->last_index);
  send_ack(*commit);
  // After the ack: an hb without the run, then no more commits for a while of heartbeats.
  BOOST_TEST(gateway
                 .wait_for([](const Received& r) {
                   const auto* hb = as<bus::Heartbeat>(r);
                   return hb != nullptr && hb->runs.empty() && hb->slots == 5;
                 })
                 .has_value());
  const auto commits_before = gateway.received().size();
  int hbs = 0;
  bool commit_after = false;
  gateway.wait_for(
      [&](const Received& r) {
        if (kind(r) == "commit") commit_after = true;
        return kind(r) == "hb" && ++hbs == 3;
      },
      Ms(3000));
  BOOST_TEST(hbs == 3);
  BOOST_TEST(!commit_after);
  BOOST_TEST(gateway.received().size() > commits_before);
}

BOOST_AUTO_TEST_CASE(cancel_mid_stream_commits_cancelled_quickly) {
  start(kSlowReply);
  start_processor();
  handshake();
  const bus::Work work = make_work("w", "r1", "m");
  push_and_grant(work);
  BOOST_REQUIRE(wait_event("r1", "\"chunk\""));
  const auto cancelled_at = Clock::now();
  send_cancel(work, bus::CancelReason::Cancelled);
  auto commit = wait_commit("r1", Ms(3000));
  BOOST_REQUIRE_MESSAGE(commit.has_value(), processor->stderr_text());
  BOOST_TEST((Clock::now() - cancelled_at < Ms(1500)));
  BOOST_TEST((commit->outcome == bus::CommitOutcome::Cancelled));
  BOOST_TEST(commit->messages.empty());
}

BOOST_AUTO_TEST_CASE(wrong_topic_is_ignored_and_world_deleted_silences_the_attempt) {
  start(kSlowReply);
  start_processor();
  handshake();
  const bus::Work work = make_work("w", "r1", "m");
  push_and_grant(work);
  BOOST_REQUIRE(wait_event("r1", "\"chunk\""));
  // `ctl.<id>x` passes the SUB prefix filter but is not this processor's topic.
  send_cancel(work, bus::CancelReason::WorldDeleted, bus::ctl_topic(processor_id) + "x");
  const auto before = events_of("r1").size();
  BOOST_REQUIRE(gateway.wait_for([&](const Received&) { return events_of("r1").size() >= before + 3; }).has_value());
  // Now the real one: the run stops at once and nothing more is sent for it, not even a commit.
  send_cancel(work, bus::CancelReason::WorldDeleted);
  BOOST_TEST(processor->wait_for_stderr("attempt silenced", Ms(3000)));
  bool commit_seen = false;
  int hbs = 0;
  gateway.wait_for(
      [&](const Received& r) {
        if (kind(r) == "commit") commit_seen = true;
        const auto* hb = as<bus::Heartbeat>(r);
        return hb != nullptr && hb->runs.empty() && ++hbs == 3;
      },
      Ms(3000));
  BOOST_TEST(hbs == 3);
  BOOST_TEST(!commit_seen);
  for (const auto& r : gateway.received()) BOOST_TEST(kind(r) != "commit");
}

BOOST_AUTO_TEST_CASE(small_deadline_ends_with_run_timeout) {
  start(kSlowReply);
  start_processor();
  handshake();
  const bus::Work work = make_work("w", "r1", "m", 300);
  push_and_grant(work);
  auto commit = wait_commit("r1", Ms(5000));
  BOOST_REQUIRE_MESSAGE(commit.has_value(), processor->stderr_text());
  BOOST_TEST((commit->outcome == bus::CommitOutcome::RunTimeout));
}

BOOST_AUTO_TEST_CASE(title_jobs_answer_title_results) {
  start(R"({"rules":[{"match":{"any":true},"reply":"Planning The Launch"}]})");
  start_processor();
  handshake();
  bus::Title job{"t-1", "w", "c1", "openai-compatible", "m", {"-user: hi", "-assistant: hello"}, 5000};
  BOOST_REQUIRE(gateway.push_within(bus::encode(job), Ms(5000)));
  auto result = gateway.wait_for([](const Received& r) { return kind(r) == "title-result"; });
  BOOST_REQUIRE(result.has_value());
  const auto* tr = as<bus::TitleResult>(*result);
  BOOST_TEST(result->topic == bus::title_result_topic("w"));
  BOOST_TEST(tr->dispatch_id == "t-1");
  BOOST_TEST(tr->chat_id == "c1");
  BOOST_REQUIRE(tr->title.has_value());
  BOOST_TEST(*tr->title == "Planning The Launch");
  // A provider not configured here: title null with an error.
  bus::Title unconfigured{"t-2", "w", "c1", "anthropic", "claude", {"-user: hi"}, 5000};
  BOOST_REQUIRE(gateway.push_within(bus::encode(unconfigured), Ms(5000)));
  auto second = gateway.wait_for([](const Received& r) {
    const auto* t = as<bus::TitleResult>(r);
    return t != nullptr && t->dispatch_id == "t-2";
  });
  BOOST_REQUIRE(second.has_value());
  BOOST_TEST(!as<bus::TitleResult>(*second)->title.has_value());
  BOOST_TEST(as<bus::TitleResult>(*second)->error.has_value());
}

BOOST_AUTO_TEST_CASE(sigterm_lets_the_running_attempt_finish_and_exits_0) {
  start(kSlowReply);
  start_processor();
  handshake();
  const bus::Work work = make_work("w", "r1", "m");
  push_and_grant(work);
  BOOST_REQUIRE(wait_event("r1", "\"chunk\""));
  BOOST_REQUIRE(processor->send_signal(SIGTERM).is_ok());
  BOOST_TEST(wait_hb_slots(0, Ms(2000)));
  auto commit = wait_commit("r1", Ms(8000));
  BOOST_REQUIRE_MESSAGE(commit.has_value(), processor->stderr_text());
  BOOST_TEST((commit->outcome == bus::CommitOutcome::Completed));
  send_ack(*commit);
  auto status = processor->wait_exit(Ms(5000));
  BOOST_REQUIRE_MESSAGE(status.is_ok(), processor->stderr_text());
  BOOST_TEST(status.value() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
