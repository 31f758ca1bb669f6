// Tests of gateway/storage/retention_pruner.h on a real SQLite file with the time passed in: old events go as a
// prefix and pruned_through follows (so replay from below it is not recovered), old completed/cancelled queue rows
// go (and their message ids are accepted again), everything else stays; steps are bounded; the tick driver waits
// for its interval; bad settings are refused.
#include "gateway/storage/retention_pruner.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>

#include "gateway/core/message_enqueue.h"
#include "gateway/core/subscription_snapshot.h"
#include "gateway/storage/storage.h"
#include "tests/unit/gateway/temp_dir.h"

namespace aw::gateway::storage {
namespace {

constexpr EpochMs kDay = 24LL * 60 * 60 * 1000;
constexpr EpochMs kNow = 1767225600000;  // 2026-01-01T00:00:00.000Z

struct RetentionFixture {
  test::TempDir dir;
  std::unique_ptr<Storage> storage = Storage::open(dir.file("agent-world-cpp.db"), false).value();

  RetentionFixture() { create_world("w"); }

  void create_world(const std::string& id) {
    WorldRecord w;
    w.id = id;
    w.name = id;
    w.created_at = w.updated_at = "2025-01-01T00:00:00.000Z";
    BOOST_REQUIRE(storage->worlds().insert(w).is_ok());
    BOOST_REQUIRE(storage->events().open_log(id, "epoch-" + id).is_ok());
  }
  Seq append(const std::string& world, EpochMs ts) {
    NewEvent e;
    e.world_id = world;
    e.frame_type = "crud";
    e.event_type = "crud";
    e.payload = "{\"n\":1}";
    e.ts_ms = ts;
    auto r = storage->events().append(e);
    BOOST_REQUIRE(r.is_ok());
    return r.value().seq;
  }
  std::vector<Seq> remaining(const std::string& world) {
    std::vector<Seq> out;
    auto rows = storage->events().range(EventFilter{world, std::nullopt}, 0, 1000000, 1000000);
    BOOST_REQUIRE(rows.is_ok());
    for (const auto& e : rows.value()) out.push_back(e.seq);
    return out;
  }
  Seq pruned_through(const std::string& world) { return storage->events().state(world).value()->pruned_through; }

  void queue_item(const std::string& id, const std::string& state, std::optional<EpochMs> finished) {
    QueueItemRecord item;
    item.world_id = "w";
    item.message_id = id;
    item.content = "hello " + id;
    item.sender = "human";
    item.created_at = iso8601_ms(kNow - 30 * kDay);
    BOOST_REQUIRE(storage->queue().insert(item).is_ok());
    item.state = state;
    if (finished) item.finished_at = iso8601_ms(*finished);
    BOOST_REQUIRE(storage->queue().update(item).is_ok());
  }
  bool has_item(const std::string& id) { return storage->queue().find("w", id).value().has_value(); }

  EnqueueResult enqueue(const std::string& id) {
    EnqueueRequest request;
    request.world_id = "w";
    request.message_id = id;
    request.content = "hello " + id;
    return enqueue_message(*storage, CoreOptions{}, request, kNow, Logger());
  }

  RetentionPruner pruner(std::int64_t event_days, std::int64_t queue_days, std::int64_t batch_rows = 500,
                         std::int64_t interval_ms = 60000) {
    RetentionSettings s;
    s.event_days = event_days;
    s.queue_days = queue_days;
    s.batch_rows = batch_rows;
    s.interval_ms = interval_ms;
    return RetentionPruner(*storage, s, Logger());
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(retention_pruner, RetentionFixture)

BOOST_AUTO_TEST_CASE(old_events_are_deleted_new_kept_and_pruned_through_set) {
  for (int i = 0; i < 3; ++i) append("w", kNow - 10 * kDay);
  append("w", kNow - 1 * kDay);
  append("w", kNow);
  auto p = pruner(7, 0);
  auto counts = p.prune_all(kNow);
  BOOST_REQUIRE(counts.is_ok());
  BOOST_TEST(counts->events == 3);
  BOOST_TEST(remaining("w") == std::vector<Seq>({4, 5}), boost::test_tools::per_element());
  BOOST_TEST(pruned_through("w") == 3u);
  BOOST_TEST(storage->events().state("w").value()->last_seq == 5u);  // seq values are never reused
  BOOST_TEST(append("w", kNow) == 6u);
}

BOOST_AUTO_TEST_CASE(deletion_is_a_prefix_that_stops_at_the_first_young_frame) {
  append("w", kNow - 10 * kDay);
  append("w", kNow);              // young
  append("w", kNow - 10 * kDay);  // old but after a young one: kept, so the deleted range has no holes
  auto p = pruner(7, 0);
  BOOST_REQUIRE(p.prune_all(kNow).is_ok());
  BOOST_TEST(remaining("w") == std::vector<Seq>({2, 3}), boost::test_tools::per_element());
  BOOST_TEST(pruned_through("w") == 1u);
}

BOOST_AUTO_TEST_CASE(zero_days_keeps_every_event_and_every_queue_row) {
  append("w", kNow - 1000 * kDay);
  queue_item("done-long-ago", "completed", kNow - 1000 * kDay);
  auto p = pruner(0, 0);
  auto counts = p.prune_all(kNow);
  BOOST_REQUIRE(counts.is_ok());
  BOOST_TEST(counts->events == 0);
  BOOST_TEST(counts->queue_rows == 0);
  BOOST_TEST(remaining("w").size() == 1u);
  BOOST_TEST(pruned_through("w") == 0u);
  BOOST_TEST(has_item("done-long-ago"));
}

BOOST_AUTO_TEST_CASE(a_step_deletes_at_most_batch_rows_and_reports_more) {
  create_world("x");
  for (int i = 0; i < 5; ++i) append("w", kNow - 10 * kDay);
  for (int i = 0; i < 3; ++i) append("x", kNow - 10 * kDay);
  for (int i = 0; i < 3; ++i) queue_item("q" + std::to_string(i), "completed", kNow - 10 * kDay);
  auto p = pruner(7, 7, 2);

  auto first = p.step(kNow);
  BOOST_REQUIRE(first.is_ok());
  BOOST_TEST(first->events == 2);
  BOOST_TEST(first->queue_rows == 2);
  BOOST_TEST(first->more);
  BOOST_TEST(pruned_through("w") == 2u);

  int steps = 1;
  for (bool more = true; more; ++steps) {
    auto next = p.step(kNow);
    BOOST_REQUIRE(next.is_ok());
    BOOST_TEST(next->events <= 2);
    BOOST_TEST(next->queue_rows <= 2);
    more = next->more;
    BOOST_REQUIRE(steps < 10);
  }
  BOOST_TEST(steps >= 4);  // 8 events at 2 per step
  BOOST_TEST(p.totals().events == 8);
  BOOST_TEST(p.totals().queue_rows == 3);
  BOOST_TEST(remaining("w").empty());
  BOOST_TEST(remaining("x").empty());
  BOOST_TEST(pruned_through("w") == 5u);
  BOOST_TEST(pruned_through("x") == 3u);
}

BOOST_AUTO_TEST_CASE(a_step_looks_at_no_more_worlds_than_batch_rows) {
  create_world("x");
  create_world("y");
  append("y", kNow - 10 * kDay);
  auto p = pruner(7, 0, 2);
  auto first = p.step(kNow);  // w and x: nothing old, but the step's share of worlds is used up
  BOOST_REQUIRE(first.is_ok());
  BOOST_TEST(first->events == 0);
  BOOST_TEST(first->more);
  auto second = p.step(kNow);
  BOOST_REQUIRE(second.is_ok());
  BOOST_TEST(second->events == 1);
  BOOST_TEST(!second->more);
  BOOST_TEST(pruned_through("y") == 1u);
}

BOOST_AUTO_TEST_CASE(only_old_completed_and_cancelled_queue_rows_are_deleted) {
  queue_item("old-completed", "completed", kNow - 8 * kDay);
  queue_item("old-cancelled", "cancelled", kNow - 8 * kDay);
  queue_item("old-failed", "failed", kNow - 8 * kDay);
  queue_item("old-pending", "pending", std::nullopt);
  queue_item("new-completed", "completed", kNow - 6 * kDay);
  auto p = pruner(0, 7);
  auto counts = p.prune_all(kNow);
  BOOST_REQUIRE(counts.is_ok());
  BOOST_TEST(counts->queue_rows == 2);
  BOOST_TEST(!has_item("old-completed"));
  BOOST_TEST(!has_item("old-cancelled"));
  BOOST_TEST(has_item("old-failed"));  // failed rows wait for retry-failed or an operator
  BOOST_TEST(has_item("old-pending"));
  BOOST_TEST(has_item("new-completed"));
}

BOOST_AUTO_TEST_CASE(a_message_id_older_than_the_window_is_new_again_a_newer_one_is_duplicate) {
  BOOST_REQUIRE(enqueue("m-old").status.is_ok());
  BOOST_REQUIRE(enqueue("m-new").status.is_ok());
  auto complete = [&](const std::string& id, EpochMs finished) {
    auto item = storage->queue().find("w", id).value();
    BOOST_REQUIRE(item.has_value());
    item->state = "completed";
    item->finished_at = iso8601_ms(finished);
    BOOST_REQUIRE(storage->queue().update(*item).is_ok());
  };
  complete("m-old", kNow - 8 * kDay);
  complete("m-new", kNow - 1 * kDay);
  BOOST_TEST(enqueue("m-old").duplicate);  // still inside the window before pruning

  auto p = pruner(0, 7);
  BOOST_REQUIRE(p.prune_all(kNow).is_ok());

  const EnqueueResult again = enqueue("m-old");
  BOOST_TEST(again.status.is_ok());
  BOOST_TEST(!again.duplicate);
  BOOST_TEST(storage->queue().find("w", "m-old").value()->state == "pending");
  const EnqueueResult dup = enqueue("m-new");
  BOOST_TEST(dup.status.is_ok());
  BOOST_TEST(dup.duplicate);
  BOOST_TEST(dup.state == "completed");
}

BOOST_AUTO_TEST_CASE(replay_from_below_pruned_through_is_not_recovered) {
  for (int i = 0; i < 3; ++i) append("w", kNow - 10 * kDay);
  for (int i = 0; i < 2; ++i) append("w", kNow);
  auto p = pruner(7, 0);
  BOOST_REQUIRE(p.prune_all(kNow).is_ok());

  SubscribeRequest request;
  request.world_id = "w";
  request.epoch = "epoch-w";
  request.last_seq = 2;  // frame 3 is gone
  const SubscribeSnapshot below = snapshot_subscription(*storage, CoreOptions{}, request, Logger());
  BOOST_TEST(!below.recovered);
  BOOST_TEST(below.replay.empty());
  request.last_seq = 3;  // frames 4 and 5 are all there
  const SubscribeSnapshot at = snapshot_subscription(*storage, CoreOptions{}, request, Logger());
  BOOST_TEST(at.recovered);
  BOOST_TEST(at.replay.size() == 2u);
}

BOOST_AUTO_TEST_CASE(ticks_start_a_pass_per_interval_and_step_until_done) {
  for (int i = 0; i < 3; ++i) append("w", kNow - 10 * kDay);
  auto p = pruner(7, 0, 2, 60000);
  p.on_tick(kNow);  // first pass starts at once: 2 of 3
  BOOST_TEST(remaining("w").size() == 1u);
  p.on_tick(kNow + 10);  // the pass goes on
  BOOST_TEST(remaining("w").empty());

  append("w", kNow - 10 * kDay);
  p.on_tick(kNow + 1000);  // inside the interval: nothing happens
  BOOST_TEST(remaining("w").size() == 1u);
  p.on_tick(kNow + 60000);
  BOOST_TEST(remaining("w").empty());
  BOOST_TEST(p.totals().events == 4);
}

BOOST_AUTO_TEST_CASE(settings_come_from_the_environment_and_bad_values_are_refused) {
  ::unsetenv("AW_EVENT_RETENTION_DAYS");
  ::unsetenv("AW_QUEUE_RETENTION_DAYS");
  auto defaults = RetentionSettings::from_env();
  BOOST_REQUIRE(defaults.is_ok());
  BOOST_TEST(defaults->event_days == 0);
  BOOST_TEST(defaults->queue_days == 7);

  ::setenv("AW_EVENT_RETENTION_DAYS", "30", 1);
  auto set = RetentionSettings::from_env();
  BOOST_REQUIRE(set.is_ok());
  BOOST_TEST(set->event_days == 30);

  ::setenv("AW_QUEUE_RETENTION_DAYS", "-1", 1);
  auto bad = RetentionSettings::from_env();
  BOOST_TEST(!bad.is_ok());
  BOOST_TEST(bad.status().message().find("AW_QUEUE_RETENTION_DAYS") != std::string::npos);
  ::unsetenv("AW_EVENT_RETENTION_DAYS");
  ::unsetenv("AW_QUEUE_RETENTION_DAYS");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::storage
