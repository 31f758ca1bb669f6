// BusHub's batch transaction (docs/bus.md "One transaction per batch"): when SQLite rolls the batch back by itself
// (SQLITE_FULL here, forced with PRAGMA max_page_count), nothing of the lost writes is announced, what was written
// after them is, and the in-memory effects follow the transaction: persisted-event and gap counters, the gap
// detection of leases the batch did not touch, title jobs (started only after the COMMIT).
#include <boost/test/unit_test.hpp>

#include "gateway/bus/bus_hub.h"
#include "tests/unit/gateway/bus/bus_fixture.h"

namespace aw::gateway::bus::test {
namespace {

struct HubFixture : gateway::test::CoreFixture {
  BusSettings settings;
  RecordingOutput output;
  std::unique_ptr<BusHub> hub;
  std::string chat1;
  std::string chat2;
  std::map<std::string, aw::bus::Work> works;  // by world

  HubFixture() {
    settings.chat_titles = "llm";
    chat1 = create_world("w1");
    chat2 = create_world("w2");
    create_agent("w1", "a1");
    create_agent("w2", "a2");
    hub = std::make_unique<BusHub>(storage(), *core, settings, output, "gw-test", Logger());
    BOOST_REQUIRE(hub->start().is_ok());
    enqueue("w1", "m1");
    enqueue("w2", "m2");
    batch({aw::bus::Hello{"p1", 1, 1, 4}});  // welcome, then both items are pushed
    BOOST_REQUIRE(output.work.size() == 2u);
    std::vector<aw::bus::BusMessage> accepts;
    for (const aw::bus::Frame& frame : output.work) {
      auto decoded = aw::bus::decode(frame.topic, frame.body);
      BOOST_REQUIRE(decoded.is_ok());
      const auto& w = std::get<aw::bus::Work>(decoded.value());
      works[w.world_id] = w;
      accepts.push_back(aw::bus::Accept{"p1", w.world_id, w.run_id, w.attempt, w.dispatch_id});
    }
    batch(std::move(accepts));
    BOOST_REQUIRE(storage().queue().find("w1", "m1").value()->state == "processing");
    BOOST_REQUIRE(storage().queue().find("w2", "m2").value()->state == "processing");
  }
  ~HubFixture() { (void)storage().db().exec("PRAGMA max_page_count = 1073741823"); }

  void batch(std::vector<aw::bus::BusMessage> messages) {
    InboundBatch b;
    b.messages = std::move(messages);
    hub->on_batch(std::move(b));
  }

  aw::bus::Event event(const std::string& world, std::int64_t index, std::size_t padding = 0) {
    aw::bus::Event e;
    e.processor_id = "p1";
    e.world_id = world;
    e.chat_id = world == "w1" ? chat1 : chat2;
    e.run_id = world == "w1" ? "m1" : "m2";
    e.attempt = 1;
    e.index = index;
    e.event_type = "sse";
    e.payload_type = "start";
    e.payload_message_id = "r" + std::to_string(index);
    e.payload_json =
        "{\"type\":\"start\",\"index\":" + std::to_string(index) + ",\"pad\":\"" + std::string(padding, 'x') + "\"}";
    return e;
  }
  // Too large for the pages left: SQLITE_FULL, and SQLite rolls the whole transaction back.
  aw::bus::Event huge_event(const std::string& world, std::int64_t index) { return event(world, index, 2'000'000); }

  void limit_pages() {
    auto pages = storage().db().prepare("PRAGMA page_count");
    BOOST_REQUIRE(pages.is_ok());
    const std::int64_t count = pages->single_integer().value();
    BOOST_REQUIRE(storage().db().exec("PRAGMA max_page_count = " + std::to_string(count + 16)).is_ok());
  }
  void unlimit_pages() { BOOST_REQUIRE(storage().db().exec("PRAGMA max_page_count = 1073741823").is_ok()); }

  aw::bus::Commit commit(const std::string& world) {
    const aw::bus::Work& w = works.at(world);
    aw::bus::Commit c;
    c.processor_id = "p1";
    c.world_id = world;
    c.run_id = w.run_id;
    c.attempt = 1;
    c.last_index = -1;
    aw::bus::CommitMessage m;
    m.message_id = "reply-" + world;
    m.chat_id = w.chat_id;
    m.sender = world == "w1" ? "a1" : "a2";
    m.content = "Hello!";
    m.timestamp = "2030-01-01T00:00:00.000Z";
    m.reply_to_message_id = w.run_id;
    m.payload_json = "{\"content\":\"Hello!\",\"sender\":\"" + m.sender + "\",\"messageId\":\"" + m.message_id +
                     "\",\"chatId\":\"" + w.chat_id + "\"}";
    c.messages.push_back(m);
    return c;
  }

  std::int64_t stored_events(const std::string& world) {
    auto stmt = storage().db().prepare("SELECT COUNT(*) FROM events WHERE world_id = ? AND attempt = 1");
    BOOST_REQUIRE(stmt.is_ok());
    stmt->bind_all(world);
    return stmt->single_integer().value();
  }
  // Event frames broadcast for `world` whose payload carries `"index":<index>`.
  std::size_t broadcast_with_index(const std::string& world, std::int64_t index) {
    std::size_t n = 0;
    const std::string raw_needle = "\"index\":" + std::to_string(index) + ",";
    for (const PersistedFrame& f : output.events) {
      if (f.world_id == world && f.live_json->find(raw_needle) != std::string::npos) ++n;
    }
    return n;
  }
  std::size_t title_pushes() {
    std::size_t n = 0;
    for (const aw::bus::Frame& f : output.work) n += f.topic == "title" ? 1 : 0;
    return n;
  }
  std::int64_t persisted(const std::string& type) {
    auto it = hub->counters().persisted_events.find(type);
    return it == hub->counters().persisted_events.end() ? 0 : it->second;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bus_hub_batch, HubFixture)

BOOST_AUTO_TEST_CASE(sqlite_rollback_mid_batch_announces_only_what_is_durable) {
  const std::int64_t sse_before = persisted("sse");
  const std::int64_t gaps_before = hub->counters().gaps;
  limit_pages();
  batch({event("w2", 0), huge_event("w2", 1), event("w2", 2)});
  unlimit_pages();
  // Index 0 was rolled back with the batch, index 1 never fit; index 2 ran in the batch's successor and committed.
  BOOST_TEST(stored_events("w2") == 1);
  BOOST_TEST(broadcast_with_index("w2", 0) == 0u);  // never durable: never shown
  BOOST_TEST(broadcast_with_index("w2", 2) == 1u);  // durable: shown
  BOOST_TEST(persisted("sse") == sse_before + 1);
  // The lost indexes 0..1 are one gap, counted once.
  BOOST_TEST(hub->counters().gaps == gaps_before + 1);
}

BOOST_AUTO_TEST_CASE(a_rolled_back_batch_keeps_the_gap_detection_of_untouched_leases) {
  batch({event("w1", 0), event("w1", 1), event("w1", 2)});
  BOOST_REQUIRE(stored_events("w1") == 3);
  const std::int64_t gaps_before = hub->counters().gaps;
  limit_pages();
  batch({event("w2", 0), huge_event("w2", 1)});
  unlimit_pages();
  BOOST_TEST(stored_events("w2") == 0);
  BOOST_TEST(hub->counters().gaps == gaps_before);
  // w1's lease was not touched by the lost batch: index 4 after 2 is still seen as a gap (3 missing).
  batch({event("w1", 4)});
  BOOST_TEST(hub->counters().gaps == gaps_before + 1);
  BOOST_TEST(stored_events("w1") == 4);
  // w2's progress is back where it was before the lost batch: index 0 is new, not a duplicate.
  batch({event("w2", 0)});
  BOOST_TEST(stored_events("w2") == 1);
  BOOST_TEST(broadcast_with_index("w2", 0) == 1u);
}

BOOST_AUTO_TEST_CASE(title_jobs_and_commits_follow_the_batch_transaction) {
  batch({aw::bus::Heartbeat{"p1", 1, 1, 4, {}}});
  limit_pages();
  batch({commit("w1"), huge_event("w2", 0)});
  unlimit_pages();
  // The commit was rolled back: the item still runs, no client heard `completed`, no title job was asked for.
  BOOST_TEST(storage().queue().find("w1", "m1").value()->state == "processing");
  BOOST_TEST(title_pushes() == 0u);
  for (const StatusBroadcast& s : output.statuses) {
    BOOST_TEST(s.json->find("\"completed\"") == std::string::npos);
  }
  // The processor re-sends its commit: applied now (not answered `duplicate`), then the title job starts.
  batch({commit("w1")});
  BOOST_TEST(storage().queue().find("w1", "m1").value()->state == "completed");
  BOOST_TEST(title_pushes() == 1u);
  auto ack = aw::bus::decode(output.ctl.back().topic, output.ctl.back().body);
  BOOST_REQUIRE(ack.is_ok());
  BOOST_REQUIRE(std::holds_alternative<aw::bus::CommitAck>(ack.value()));
  BOOST_TEST((std::get<aw::bus::CommitAck>(ack.value()).result == aw::bus::CommitResult::Applied));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus::test
