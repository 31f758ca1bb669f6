// Tests of gateway/storage/event_log.h: seq assignment (also under concurrent writers), tombstones, superseded
// frames, chat deletion, range filters and pruning.
#include "gateway/storage/event_log.h"

#include <boost/test/unit_test.hpp>
#include <thread>

#include "gateway/storage/storage.h"
#include "tests/unit/gateway/temp_dir.h"

namespace aw::gateway::storage {
namespace {

struct EventLogFixture {
  test::TempDir dir;
  std::string path = dir.file("agent-world-cpp.db");
  std::unique_ptr<Storage> storage = Storage::open(path, false).value();

  void create_world(const std::string& id, const std::string& epoch = "epoch-1") {
    WorldRecord w;
    w.id = id;
    w.name = id;
    w.created_at = w.updated_at = "2025-01-01T00:00:00.000Z";
    BOOST_REQUIRE(storage->worlds().insert(w).is_ok());
    BOOST_REQUIRE(storage->events().open_log(id, epoch).is_ok());
  }
  EventRecord append(const std::string& world, std::optional<std::string> chat = std::nullopt,
                     std::string type = "message", std::optional<std::string> run = std::nullopt,
                     std::optional<std::int64_t> attempt = std::nullopt) {
    NewEvent e;
    e.world_id = world;
    e.chat_id = std::move(chat);
    e.event_type = std::move(type);
    e.run_id = std::move(run);
    e.attempt = attempt;
    e.payload = "{\"n\":1}";
    e.ts_ms = 1000;
    auto r = storage->events().append(e);
    BOOST_REQUIRE(r.is_ok());
    return r.value();
  }
  std::vector<Seq> seqs(const EventFilter& filter, Seq after = 0, Seq upto = 1000000) {
    std::vector<Seq> out;
    auto rows = storage->events().range(filter, after, upto, 1000000);  // kept: value() of a temporary dangles
    BOOST_REQUIRE(rows.is_ok());
    for (const auto& e : rows.value()) out.push_back(e.seq);
    return out;
  }
};

BOOST_FIXTURE_TEST_SUITE(event_log, EventLogFixture)

BOOST_AUTO_TEST_CASE(seq_starts_at_one_and_increases_per_world) {
  create_world("a");
  create_world("b");
  BOOST_TEST(append("a").seq == 1u);
  BOOST_TEST(append("a").seq == 2u);
  BOOST_TEST(append("b").seq == 1u);
  auto state = storage->events().state("a").value();
  BOOST_REQUIRE(state.has_value());
  BOOST_TEST(state->last_seq == 2u);
  BOOST_TEST(state->epoch == "epoch-1");
}

BOOST_AUTO_TEST_CASE(append_without_log_fails_and_takes_no_seq) {
  NewEvent e;
  e.world_id = "ghost";
  e.event_type = "message";
  e.payload = "{}";
  BOOST_TEST(!storage->events().append(e).is_ok());
  BOOST_TEST(!storage->events().state("ghost").value().has_value());
}

BOOST_AUTO_TEST_CASE(failed_insert_rolls_back_the_seq) {
  BOOST_REQUIRE(storage->events().open_log("no-world-row", "e").is_ok());  // log without world: the FK refuses
  NewEvent e;
  e.world_id = "no-world-row";
  e.event_type = "message";
  e.payload = "{}";
  BOOST_TEST(!storage->events().append(e).is_ok());
  BOOST_TEST(storage->events().state("no-world-row").value()->last_seq == 0u);
}

BOOST_AUTO_TEST_CASE(concurrent_writers_get_every_seq_exactly_once) {
  create_world("w");
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::vector<std::vector<Seq>> taken(kThreads);
  std::vector<std::string> errors(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto own = Storage::open(path, false);  // each writer has its own connection
      if (!own) {
        errors[t] = own.status().message();
        return;
      }
      for (int i = 0; i < kPerThread; ++i) {
        NewEvent e;
        e.world_id = "w";
        e.event_type = "message";
        e.payload = "{}";
        auto r = own.value()->events().append(e);
        if (!r) {
          errors[t] = r.status().message();
          return;
        }
        taken[t].push_back(r->seq);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& e : errors) BOOST_TEST(e.empty(), e);
  std::vector<Seq> all;
  for (const auto& v : taken) {
    for (std::size_t i = 1; i < v.size(); ++i) BOOST_TEST(v[i] > v[i - 1]);  // increasing per writer
    all.insert(all.end(), v.begin(), v.end());
  }
  std::sort(all.begin(), all.end());
  BOOST_REQUIRE(all.size() == static_cast<std::size_t>(kThreads * kPerThread));
  for (std::size_t i = 0; i < all.size(); ++i) BOOST_TEST(all[i] == i + 1);  // 1..N, no gap, no duplicate
  BOOST_TEST(seqs({"w", std::nullopt}).size() == all.size());
}

BOOST_AUTO_TEST_CASE(tombstone_keeps_seq_and_takes_new_epoch) {
  create_world("w", "first");
  append("w");
  append("w");
  BOOST_REQUIRE(storage->events().delete_world_events("w").is_ok());
  BOOST_REQUIRE(storage->worlds().remove("w").value());
  BOOST_TEST(storage->events().state("w").value()->last_seq == 2u);  // the tombstone
  create_world("w", "second");
  auto state = storage->events().state("w").value();
  BOOST_TEST(state->epoch == "second");
  BOOST_TEST(append("w").seq == 3u);
}

BOOST_AUTO_TEST_CASE(range_filters_by_chat_and_skips_superseded) {
  create_world("w");
  append("w", std::string("c1"));                               // 1
  append("w", std::nullopt, "crud");                            // 2 chat-less
  append("w", std::string("c2"));                               // 3
  append("w", std::string("c1"), "sse", std::string("r1"), 1);  // 4 superseded below
  append("w", std::string("c1"), "sse", std::string("r1"), 2);  // 5
  BOOST_TEST(storage->events().mark_superseded("w", "r1", 1).value() == 1);
  BOOST_TEST(seqs({"w", std::nullopt}) == (std::vector<Seq>{1, 2, 3, 5}));
  BOOST_TEST(seqs({"w", std::string("c1")}) == (std::vector<Seq>{1, 2, 5}));
  BOOST_TEST(seqs({"w", std::string("c2")}) == (std::vector<Seq>{2, 3}));
  BOOST_TEST(seqs({"w", std::nullopt}, 2, 3) == (std::vector<Seq>{3}));
  BOOST_TEST(storage->events().count_range({"w", std::string("c1")}, 0, 5).value() == 3);
  auto chat_events = storage->events().chat_events("w", "c1").value();
  BOOST_TEST(chat_events.size() == 2u);  // event frames only, superseded excluded
}

BOOST_AUTO_TEST_CASE(deleting_a_chat_deletes_its_events_and_seq_is_not_reused) {
  create_world("w");
  append("w", std::string("c1"));
  append("w", std::string("c2"));
  BOOST_TEST(storage->events().delete_chat_events("w", "c1").value() == 1);
  BOOST_TEST(seqs({"w", std::nullopt}) == (std::vector<Seq>{2}));
  BOOST_TEST(append("w").seq == 3u);
}

BOOST_AUTO_TEST_CASE(stored_rows_keep_every_frame_field) {
  create_world("w");
  NewEvent e;
  e.world_id = "w";
  e.chat_id = "c";
  e.event_type = "sse";
  e.message_id = "m";
  e.run_id = "r";
  e.attempt = 2;
  e.payload = "{\"type\":\"start\"}";
  e.ts_ms = 1234;
  BOOST_REQUIRE(storage->events().append(e).is_ok());
  auto rows = storage->events().range({"w", std::nullopt}, 0, 10, 10).value();
  BOOST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(*rows[0].chat_id == "c");
  BOOST_TEST(rows[0].frame_type == "event");
  BOOST_TEST(rows[0].event_type == "sse");
  BOOST_TEST(*rows[0].message_id == "m");
  BOOST_TEST(*rows[0].run_id == "r");
  BOOST_TEST(*rows[0].attempt == 2);
  BOOST_TEST(rows[0].payload == "{\"type\":\"start\"}");
  BOOST_TEST(rows[0].ts_ms == 1234);
}

BOOST_AUTO_TEST_CASE(prune_deletes_old_frames_and_records_pruned_through) {
  create_world("w");
  for (int i = 0; i < 4; ++i) append("w");
  BOOST_REQUIRE(storage->events().prune_through("w", 2).is_ok());
  BOOST_TEST(storage->events().state("w").value()->pruned_through == 2u);
  BOOST_TEST(seqs({"w", std::nullopt}) == (std::vector<Seq>{3, 4}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::storage
