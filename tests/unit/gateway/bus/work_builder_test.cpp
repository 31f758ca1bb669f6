// Work builder history (agent-runtime.md §6 "Who does what"): history[A.id] is steps 2-4 of §6 applied per agent to
// the stored rows of the run chat read newest first (in pages) until every agent has its window, at most 5000,
// oldest first.
#include "gateway/bus/work_builder.h"

#include <boost/test/unit_test.hpp>

#include "gateway/storage/database.h"
#include "tests/unit/gateway/core/core_fixture.h"

namespace aw::gateway::bus::test {
namespace {

struct WorkBuilderFixture : gateway::test::CoreFixture {
  BusSettings settings;
  std::string chat;
  std::int64_t seq = 0;

  WorkBuilderFixture() {
    chat = create_world("w1");
    create_agent("w1", "a1");
    create_agent("w1", "a2");
  }

  // Stores one memory row of `agent` for message `id` in the run chat.
  void remember(const std::string& agent, const std::string& id, const std::string& sender, const std::string& content,
                const std::string& role = "user") {
    storage::MemoryRecord row;
    row.world_id = "w1";
    row.agent_id = agent;
    row.chat_id = chat;
    row.role = role;
    row.content = content;
    row.sender = sender;
    row.message_id = id;
    row.created_at = "2025-01-01T00:00:" + std::to_string(10 + (seq++ % 50)) + ".000Z";
    auto added = storage().memory().insert(row);
    BOOST_REQUIRE_MESSAGE(added.is_ok(), added.status().message());
  }

  aw::bus::Work build(const std::string& trigger_id, const std::string& content = "hi",
                      const std::string& sender = "human") {
    storage::QueueItemRecord item;
    item.world_id = "w1";
    item.message_id = trigger_id;
    item.chat_id = chat;
    item.content = content;
    item.sender = sender;
    item.created_at = "2025-01-01T00:01:00.000Z";
    auto work = build_work(storage(), settings, item, "d1");
    BOOST_REQUIRE_MESSAGE(work.is_ok(), work.status().message());
    return std::move(work.value());
  }

  // The message ids of history[agent], oldest first.
  static std::vector<std::string> ids(const aw::bus::Work& w, const std::string& agent) {
    for (const auto& [id, rows] : w.history) {
      if (id != agent) continue;
      std::vector<std::string> out;
      for (const aw::bus::MemoryRow& r : rows) out.push_back(r.message_id);
      return out;
    }
    BOOST_FAIL("no history for " + agent);
    return {};
  }
};

using Ids = std::vector<std::string>;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bus_work_builder, WorkBuilderFixture)

BOOST_AUTO_TEST_CASE(spec_example_histories) {
  // `@a1 start` from human; a1 said `@a2 ping`; a2 answered `@a1 pong` (each row in its agents' memories).
  remember("a1", "m1", "human", "@a1 start");
  remember("a1", "m2", "a1", "@a2 ping", "assistant");
  remember("a2", "m2", "a1", "@a2 ping");
  // a2's first prompt answers m2: nothing before it is visible to a2 (m1 addresses a1 only).
  aw::bus::Work first = build("m2", "@a2 ping", "a1");
  BOOST_TEST(ids(first, "a2") == Ids{});
  BOOST_TEST(ids(first, "a1") == Ids{"m1"});
  remember("a2", "m3", "a2", "@a1 pong", "assistant");
  remember("a1", "m3", "a2", "@a1 pong");
  // a1's second prompt answers m3: `@a1 start`, its own `@a2 ping`.
  aw::bus::Work second = build("m3", "@a1 pong", "a2");
  BOOST_TEST(ids(second, "a1") == (Ids{"m1", "m2"}));
  // A later human message: each agent gets its own view, in agent order.
  aw::bus::Work later = build("m4", "hello all");
  BOOST_REQUIRE(later.history.size() == 2u);
  BOOST_TEST(later.history[0].first == "a1");
  BOOST_TEST(later.history[1].first == "a2");
  BOOST_TEST(ids(later, "a1") == (Ids{"m1", "m2", "m3"}));
  BOOST_TEST(ids(later, "a2") == (Ids{"m2", "m3"}));
}

BOOST_AUTO_TEST_CASE(human_rows_mentioning_someone_else_are_invisible) {
  remember("a1", "h1", "human", "@a2 only for a2");
  remember("a1", "h2", "alice", "no mention at all");
  remember("a1", "h3", "human", "hello @a1 in the middle");  // a mention, but none at a paragraph start
  remember("a1", "h4", "human", "intro\n  @a1 second line");
  aw::bus::Work w = build("t");
  BOOST_TEST(ids(w, "a1") == (Ids{"h2", "h4"}));
  BOOST_TEST(ids(w, "a2") == (Ids{"h1", "h2"}));
}

BOOST_AUTO_TEST_CASE(agent_rows_need_a_paragraph_mention_of_the_reader) {
  remember("a2", "r1", "a2", "just thinking aloud", "assistant");
  remember("a2", "r2", "A2", "@a1 over to you", "assistant");
  remember("a2", "r3", "a2", "> @a1 quoted", "assistant");
  aw::bus::Work w = build("t");
  BOOST_TEST(ids(w, "a1") == Ids{"r2"});
  BOOST_TEST(ids(w, "a2") == (Ids{"r1", "r2", "r3"}));  // own rows always
}

BOOST_AUTO_TEST_CASE(world_rows_are_visible_to_everyone) {
  remember("a1", "w-1", "world", "@a2 the sun rises");
  remember("a1", "w-2", " World ", "rain");
  aw::bus::Work w = build("t");
  BOOST_TEST(ids(w, "a1") == (Ids{"w-1", "w-2"}));
  BOOST_TEST(ids(w, "a2") == (Ids{"w-1", "w-2"}));
}

BOOST_AUTO_TEST_CASE(window_counts_visible_rows_only) {
  settings.history_window = 2;
  remember("a1", "v1", "human", "visible one");
  remember("a1", "v2", "human", "visible two");
  for (int i = 0; i < 5; ++i) remember("a2", "x" + std::to_string(i), "human", "@a2 private");
  remember("a1", "v3", "human", "visible three");
  remember("a2", "x9", "human", "@a2 private again");
  aw::bus::Work w = build("t");
  BOOST_TEST(w.history_window == 2);
  BOOST_TEST(ids(w, "a1") == (Ids{"v2", "v3"}));
  BOOST_TEST(ids(w, "a2") == (Ids{"v3", "x9"}));
}

BOOST_AUTO_TEST_CASE(scan_stops_after_5000_stored_rows) {
  remember("a1", "oldest", "human", "visible to a1");
  {
    auto tx = storage::Transaction::begin(storage().db());
    BOOST_REQUIRE(tx.is_ok());
    for (int i = 0; i < 4999; ++i) remember("a2", "p" + std::to_string(i), "human", "@a2 private");
    BOOST_REQUIRE(tx.value().commit().is_ok());
  }
  BOOST_TEST(ids(build("t"), "a1") == Ids{"oldest"});  // the 5000th newest row is still scanned
  remember("a2", "p-last", "human", "@a2 private");
  BOOST_TEST(ids(build("t"), "a1") == Ids{});  // now it is the 5001st: beyond the scan cap
  BOOST_TEST(ids(build("t"), "a2").size() == 10u);
}

BOOST_AUTO_TEST_CASE(pages_are_read_until_every_agent_has_its_window) {
  // a2's only visible row lies behind 300 newer rows that only a1 sees: several pages must be read for a2, and a1
  // still gets exactly its newest 10.
  remember("a2", "old", "human", "@a2 far back");
  {
    auto tx = storage::Transaction::begin(storage().db());
    BOOST_REQUIRE(tx.is_ok());
    for (int i = 0; i < 300; ++i) remember("a1", "n" + std::to_string(i), "human", "@a1 only");
    BOOST_REQUIRE(tx.value().commit().is_ok());
  }
  aw::bus::Work w = build("t");
  BOOST_TEST(ids(w, "a2") == Ids{"old"});
  Ids newest;
  for (int i = 290; i < 300; ++i) newest.push_back("n" + std::to_string(i));
  BOOST_TEST(ids(w, "a1") == newest);
}

BOOST_AUTO_TEST_CASE(a_long_chat_gives_the_same_window_as_a_short_one) {
  // Both agents see every row: the newest 10 per agent, whatever the chat's length.
  {
    auto tx = storage::Transaction::begin(storage().db());
    BOOST_REQUIRE(tx.is_ok());
    for (int i = 0; i < 1000; ++i) remember(i % 2 == 0 ? "a1" : "a2", "r" + std::to_string(i), "human", "all");
    BOOST_REQUIRE(tx.value().commit().is_ok());
  }
  aw::bus::Work w = build("t");
  Ids newest;
  for (int i = 990; i < 1000; ++i) newest.push_back("r" + std::to_string(i));
  BOOST_TEST(ids(w, "a1") == newest);
  BOOST_TEST(ids(w, "a2") == newest);
}

BOOST_AUTO_TEST_CASE(first_row_per_message_id_wins) {
  remember("a1", "m1", "human", "first copy");
  remember("a2", "m1", "human", "second copy");
  remember("a2", "e1", "human", "");                   // the first copy is empty: dropped ...
  remember("a1", "e1", "human", "a later non-empty");  // ... and a later copy does not bring it back
  aw::bus::Work w = build("t");
  BOOST_REQUIRE(ids(w, "a1") == Ids{"m1"});
  BOOST_TEST(w.history[0].second[0].content == "first copy");
  BOOST_TEST(w.history[0].second[0].agent_id == "a1");
}

BOOST_AUTO_TEST_CASE(trigger_system_notices_and_empty_rows_are_dropped) {
  remember("a1", "keep", "human", "kept");
  remember("a1", "t", "human", "the trigger itself");
  remember("a1", "s1", " SYSTEM ", "system text");
  remember("a1", "n1", "a1", "@human Turn limit reached (5 LLM calls). Please take control of the conversation.",
           "assistant");
  remember("a1", "e1", "human", "");
  aw::bus::Work w = build("t", "the trigger itself");
  BOOST_TEST(ids(w, "a1") == Ids{"keep"});
  BOOST_TEST(ids(w, "a2") == Ids{"keep"});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus::test
