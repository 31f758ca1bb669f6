// Assertions over what an AgentRun published, phrased like agent-runtime.md §15: "responds", "exactly one idle".
// Thread-safety: test-thread only.
#pragma once

#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "tests/unit/processor/runtime/run_fixture.h"

namespace aw::processor::testing {

// Agents whose SSE `start` was published, in order (one entry per response).
inline std::vector<std::string> responders(const RunFixture& f) {
  std::vector<std::string> out;
  for (auto& e : f.of_type(EventType::Sse, "start")) out.push_back(e.str("agentName"));
  return out;
}

// "Responds" of §15 for the agent's only response: SSE start, chunks, end with one id X, then a message event from
// the agent with id X answering `reply_to`. Returns the published content.
inline std::string responded_once(const RunFixture& f, const std::string& agent,
                                  const std::string& reply_to = "trigger-1") {
  const auto events = f.events();
  std::string id;
  std::int64_t start = -1, end = -1, message = -1, chunks = 0;
  for (const auto& e : events) {
    if (e.type == EventType::Sse && e.str("agentName") == agent && e.kind() == "start") {
      BOOST_REQUIRE_MESSAGE(start < 0, agent + " started twice");
      start = e.index;
      id = e.str("messageId");
    }
  }
  BOOST_REQUIRE_MESSAGE(start >= 0, agent + " did not start");
  BOOST_TEST(id.size() == 21u);
  for (const auto& e : events) {
    if (e.type == EventType::Sse && e.str("messageId") == id) {
      if (e.kind() == "chunk") {
        BOOST_TEST(e.chunk);
        BOOST_TEST((e.index > start && end < 0), "chunk outside start..end");
        ++chunks;
      }
      if (e.kind() == "end") end = e.index;
      BOOST_TEST(e.kind() != "error");
    }
    if (e.type == EventType::Message && e.str("messageId") == id) {
      BOOST_TEST(e.str("sender") == agent);
      BOOST_TEST(e.str("replyToMessageId") == reply_to);
      BOOST_TEST(e.str("chatId") == f.item.chat_id);
      message = e.index;
    }
  }
  BOOST_TEST(chunks > 0);
  BOOST_TEST(end > start);
  BOOST_REQUIRE_MESSAGE(message > end, agent + ": no message event after the SSE end");
  for (const auto& e : events) {
    if (e.index == message) return e.str("content");
  }
  return "";
}

// Exactly one idle, and it is the last activity event; the commit follows with the expected outcome.
inline void expect_single_idle_then_commit(const RunFixture& f, CommitOutcome outcome = CommitOutcome::Completed) {
  const auto world = f.of_type(EventType::World);
  int idles = 0;
  for (const auto& e : world) idles += e.kind() == "idle" ? 1 : 0;
  BOOST_TEST(idles == 1);
  BOOST_REQUIRE(!world.empty());
  BOOST_TEST(world.back().kind() == "idle");
  BOOST_TEST(world.back().num("pendingOperations") == 0);
  for (const auto& e : world) {
    BOOST_TEST(e.num("activityId") == f.item.activity_id);
    BOOST_TEST(e.str("runId") == f.item.run_id);
  }
  BOOST_REQUIRE(f.commit.has_value());
  BOOST_TEST((f.commit->outcome == outcome));
  BOOST_TEST(f.commit->last_index == static_cast<std::int64_t>(f.events().size()) - 1);
}

// Every event carries the run chat and indexes 0, 1, 2, … in order.
inline void expect_indexed_in_run_chat(const RunFixture& f) {
  const auto events = f.events();
  for (std::size_t i = 0; i < events.size(); ++i) {
    BOOST_TEST(events[i].index == static_cast<std::int64_t>(i));
    BOOST_TEST(events[i].chat_id == f.item.chat_id);
  }
}

inline const AgentCounters* counters(const RunFixture& f, const std::string& agent) {
  for (const auto& a : f.commit->agents) {
    if (a.id == agent) return &a;
  }
  return nullptr;
}

}  // namespace aw::processor::testing
