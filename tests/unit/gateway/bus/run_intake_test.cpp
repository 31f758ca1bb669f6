// RunIntake: event fencing, index order, gaps, commits applied exactly once, rev fencing of counters, superseded
// events of a lost attempt (bus-protocol.md §6, §7).
#include <boost/test/unit_test.hpp>

#include "tests/unit/gateway/bus/bus_fixture.h"

namespace aw::gateway::bus::test {
namespace {

struct IntakeFixture : BusFixture {
  std::string chat;
  aw::bus::Work work;

  IntakeFixture() {
    chat = create_world("w1");
    create_agent("w1", "a1");
    enqueue("w1", "m1");
    hello("p1", 1);
    work = work_at(0);
    accept("p1", work);
  }

  aw::bus::Event event(std::int64_t index, const std::string& type = "start", std::int64_t attempt = 1) {
    aw::bus::Event e;
    e.processor_id = "p1";
    e.world_id = "w1";
    e.chat_id = chat;
    e.run_id = "m1";
    e.attempt = attempt;
    e.index = index;
    e.event_type = "sse";
    e.payload_type = type;
    e.payload_message_id = "r1";
    e.payload_json = "{\"agentName\":\"a1\",\"type\":\"" + type + "\",\"messageId\":\"r1\"}";
    return e;
  }

  aw::bus::Commit commit(std::int64_t attempt = 1, std::int64_t rev = -1) {
    aw::bus::Commit c;
    c.processor_id = "p1";
    c.world_id = "w1";
    c.run_id = "m1";
    c.attempt = attempt;
    c.last_index = 1;
    aw::bus::CommitMessage m;
    m.message_id = "r1";
    m.chat_id = chat;
    m.sender = "a1";
    m.content = "Hello!";
    m.timestamp = "2030-01-01T00:00:00.000Z";
    m.reply_to_message_id = "m1";
    m.payload_json = "{\"content\":\"Hello!\",\"sender\":\"a1\",\"messageId\":\"r1\",\"chatId\":\"" + chat + "\"}";
    c.messages.push_back(m);
    c.memory.push_back(aw::bus::MemoryRow{"a1", chat, "assistant", "Hello!", std::string("a1"), "r1", std::string("m1"),
                                          "2030-01-01T00:00:00.000Z"});
    c.agents.push_back(aw::bus::AgentCounters{"a1", rev >= 0 ? rev : work.agents.at(0).rev, 7,
                                              std::string("2030-01-01T00:00:00.000Z"), std::nullopt});
    return c;
  }

  aw::bus::CommitResult last_ack() {
    auto msg = last_ctl();
    BOOST_REQUIRE(std::holds_alternative<aw::bus::CommitAck>(msg));
    return std::get<aw::bus::CommitAck>(msg).result;
  }
  std::int64_t persisted_events(bool superseded) {
    auto stmt = storage().db().prepare(
        "SELECT COUNT(*) FROM events WHERE world_id = 'w1' AND run_id = 'm1' AND attempt IS NOT NULL AND "
        "superseded = ?");
    BOOST_REQUIRE(stmt.is_ok());
    stmt->bind_all(superseded ? 1 : 0);
    return stmt->single_integer().value();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bus_run_intake, IntakeFixture)

BOOST_AUTO_TEST_CASE(events_persist_in_order_chunks_only_broadcast) {
  const std::size_t before = output.events.size();
  intake->on_event(event(0, "start"));
  intake->on_event(event(1, "chunk"));
  BOOST_TEST(output.events.size() == before + 2);
  BOOST_TEST(output.events.back().seq == 0u);  // transient
  BOOST_TEST(persisted_events(false) == 1);
  BOOST_TEST(output.events[before].live_json->find("\"attempt\":1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(duplicate_index_dropped_and_gap_counted) {
  intake->on_event(event(0));
  intake->on_event(event(0));
  BOOST_TEST(counters.dropped_duplicate == 1);
  intake->on_event(event(3, "end"));
  BOOST_TEST(counters.gaps == 1);
  BOOST_TEST(persisted_events(false) == 2);
}

BOOST_AUTO_TEST_CASE(stale_attempt_event_dropped_with_rate_limited_cancel) {
  intake->on_event(event(0, "start", 2));
  BOOST_TEST(counters.dropped_stale == 1);
  auto msg = last_ctl();
  BOOST_REQUIRE(std::holds_alternative<aw::bus::Cancel>(msg));
  BOOST_TEST((std::get<aw::bus::Cancel>(msg).reason == aw::bus::CancelReason::Stale));
  const std::size_t ctl_count = output.ctl.size();
  intake->on_event(event(1, "end", 2));
  BOOST_TEST(output.ctl.size() == ctl_count);  // once per heartbeat period
  clock.now += settings.heartbeat_ms;
  intake->on_event(event(2, "end", 2));
  BOOST_TEST(output.ctl.size() == ctl_count + 1);
  BOOST_TEST(persisted_events(false) == 0);
}

BOOST_AUTO_TEST_CASE(commit_applied_once_then_duplicate_and_late_events) {
  intake->on_event(event(0));
  intake->on_commit(commit());
  BOOST_TEST((last_ack() == aw::bus::CommitResult::Applied));
  BOOST_TEST(item_state("w1", "m1") == "completed");
  BOOST_TEST(last_status() == "completed");
  BOOST_TEST(counters.gaps == 1);  // index 1 (lastIndex) never arrived
  auto messages = storage().conversation().list("w1", chat);
  BOOST_REQUIRE(messages.is_ok());
  BOOST_TEST(messages->size() == 2u);  // trigger + reply
  BOOST_TEST(storage().memory().count("w1", "a1").value() == 1);
  BOOST_TEST(storage().agents().find("w1", "a1").value()->llm_call_count == 7);
  BOOST_TEST(leases->size() == 0u);

  intake->on_commit(commit());
  BOOST_TEST((last_ack() == aw::bus::CommitResult::Duplicate));
  BOOST_TEST(storage().memory().count("w1", "a1").value() == 1);

  intake->on_event(event(2, "end"));
  BOOST_TEST(counters.dropped_late == 1);
}

BOOST_AUTO_TEST_CASE(duplicate_recognised_from_database_after_restart) {
  intake->on_commit(commit());
  start_bus();
  BOOST_REQUIRE(dispatcher->recover().is_ok());
  intake->on_commit(commit());
  BOOST_TEST((last_ack() == aw::bus::CommitResult::Duplicate));
}

BOOST_AUTO_TEST_CASE(changed_rev_skips_counter_write_but_stores_memory) {
  intake->on_commit(commit(1, work.agents.at(0).rev + 100));
  BOOST_TEST((last_ack() == aw::bus::CommitResult::Applied));
  BOOST_TEST(storage().agents().find("w1", "a1").value()->llm_call_count == 0);
  BOOST_TEST(storage().memory().count("w1", "a1").value() == 1);
}

BOOST_AUTO_TEST_CASE(lost_attempt_superseded_and_its_commit_stale) {
  intake->on_event(event(0));
  clock.now += settings.lease_ms();
  dispatcher->tick();  // processor_lost: retry scheduled
  BOOST_TEST(persisted_events(true) == 1);
  BOOST_TEST(persisted_events(false) == 0);
  intake->on_commit(commit(1));
  BOOST_TEST((last_ack() == aw::bus::CommitResult::Stale));
  BOOST_TEST(storage().memory().count("w1", "a1").value() == 0);

  clock.now += settings.retry_base_ms;
  hb("p1", 1);
  auto second = work_at(output.work.size() - 1);
  BOOST_TEST(second.attempt == 2);
  accept("p1", second);
  intake->on_commit(commit(1));
  BOOST_TEST((last_ack() == aw::bus::CommitResult::Stale));  // attempt 1 after attempt 2's grant
  intake->on_commit(commit(2));
  BOOST_TEST((last_ack() == aw::bus::CommitResult::Applied));
  BOOST_TEST(storage().memory().count("w1", "a1").value() == 1);
}

BOOST_AUTO_TEST_CASE(cancelled_outcome_ends_item_cancelled) {
  auto c = commit();
  c.outcome = aw::bus::CommitOutcome::Cancelled;
  intake->on_commit(c);
  BOOST_TEST(item_state("w1", "m1") == "cancelled");
  BOOST_TEST(last_status() == "failed");
  auto doc = parse(*output.statuses.back().json);
  BOOST_TEST(doc["payload"]["cancelled"].GetBool());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus::test
