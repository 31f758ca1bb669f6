// Tests of GatewayCore::watch_durability (gateway/core/gateway_core_impl.cpp): a watched enqueue commits without a
// sync of its own and hands out a ticket that the core later reports durable through the loop's post; duplicates
// of a not yet durable item wait for it too; unwatched, in-memory and non-WAL cores answer durable at once.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include <unistd.h>

#include "tests/unit/gateway/core/core_fixture.h"

namespace aw::gateway::test {
namespace {

// The loop's side of watch_durability: tasks posted from the sync thread, run when the test says so.
struct FakeLoop {
  std::mutex mutex;
  std::condition_variable posted;
  std::vector<std::function<void()>> tasks;
  std::vector<std::pair<DurabilityTicket, bool>> reports;  // what on_durable was told, on the test thread

  std::function<void(std::function<void()>)> post() {
    return [this](std::function<void()> task) {
      std::lock_guard<std::mutex> lock(mutex);
      tasks.push_back(std::move(task));
      posted.notify_all();
    };
  }
  std::function<void(DurabilityTicket, bool)> on_durable() {
    return [this](DurabilityTicket synced, bool ok) { reports.emplace_back(synced, ok); };
  }
  // Runs posted tasks until a report covers `ticket` (5 s at most).
  bool run_until_durable(DurabilityTicket ticket) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (reports.empty() || reports.back().first < ticket) {
      std::vector<std::function<void()>> ready;
      {
        std::unique_lock<std::mutex> lock(mutex);
        if (!posted.wait_until(lock, deadline, [&] { return !tasks.empty(); })) return false;
        ready.swap(tasks);
      }
      for (auto& task : ready) task();
    }
    return true;
  }
};

struct DurableFixture : CoreFixture {
  DurableFixture() { create_world("W"); }
  // The sync thread posts to `loop` until it is joined: before `loop` goes.
  ~DurableFixture() {
    if (core) core->watch_durability({}, {});
  }
  FakeLoop loop;
};

BOOST_FIXTURE_TEST_SUITE(durable_enqueue, DurableFixture)

BOOST_AUTO_TEST_CASE(a_watched_enqueue_gets_a_ticket_that_is_reported_durable) {
  core->watch_durability(loop.post(), loop.on_durable());
  const EnqueueResult first = enqueue("w", "m1");
  BOOST_REQUIRE(first.status.is_ok());
  BOOST_TEST(first.durable_at > 0u);
  // The item is committed (visible) before it is durable.
  BOOST_TEST(storage().queue().find("w", "m1").value().has_value());
  const EnqueueResult second = enqueue("w", "m2");
  BOOST_TEST(second.durable_at > first.durable_at);

  BOOST_REQUIRE(loop.run_until_durable(second.durable_at));
  for (const auto& [synced, ok] : loop.reports) BOOST_TEST(ok);
  core->watch_durability({}, {});
}

BOOST_AUTO_TEST_CASE(a_duplicate_waits_until_what_came_before_is_durable) {
  core->watch_durability(loop.post(), loop.on_durable());
  const EnqueueResult original = enqueue("w", "m1");
  const EnqueueResult early = enqueue("w", "m1");  // no posted task has run: the core cannot know it is durable
  BOOST_TEST(early.duplicate);
  BOOST_TEST(early.durable_at == original.durable_at);
  BOOST_REQUIRE(loop.run_until_durable(original.durable_at));
  const EnqueueResult late = enqueue("w", "m1");
  BOOST_TEST(late.duplicate);
  BOOST_TEST(late.durable_at == 0u);
  core->watch_durability({}, {});
}

BOOST_AUTO_TEST_CASE(failures_and_unwatched_cores_carry_no_ticket) {
  BOOST_TEST(enqueue("w", "m1").durable_at == 0u);  // synchronous=FULL, as before any watch
  core->watch_durability(loop.post(), loop.on_durable());
  const EnqueueResult missing = enqueue("nope", "m2");
  BOOST_TEST(missing.status.code() == "world_not_found");
  BOOST_TEST(missing.durable_at == 0u);
  const EnqueueResult watched = enqueue("w", "m3");
  BOOST_TEST(watched.durable_at > 0u);
  core->watch_durability({}, {});  // stops the thread: synchronous commits again
  BOOST_TEST(enqueue("w", "m4").durable_at == 0u);
  auto stmt = storage().db().prepare("PRAGMA synchronous");
  BOOST_REQUIRE(stmt.is_ok());
  BOOST_REQUIRE(stmt->step().value());
  BOOST_TEST(stmt->integer(0) == 1);  // NORMAL between enqueues, watched or not
}

BOOST_AUTO_TEST_CASE(after_a_failed_sync_nothing_is_called_durable_and_messages_are_refused) {
  core->watch_durability(loop.post(), loop.on_durable());
  const EnqueueResult first = enqueue("w", "m1");
  BOOST_REQUIRE(loop.run_until_durable(first.durable_at));
  BOOST_TEST(loop.reports.back().second);
  // The syncer finds the WAL by its name: without it the next sync fails (SQLite keeps writing to its open file).
  BOOST_REQUIRE(::unlink(storage().db().wal_path().c_str()) == 0);
  const EnqueueResult second = enqueue("w", "m2");
  BOOST_REQUIRE(second.status.is_ok());
  BOOST_REQUIRE(loop.run_until_durable(second.durable_at));
  BOOST_TEST(!loop.reports.back().second);

  const EnqueueResult third = enqueue("w", "m3");
  BOOST_TEST(third.status.code() == "internal");
  BOOST_TEST(third.status.message() == "Failed to queue message");
  BOOST_TEST(!storage().queue().find("w", "m3").value().has_value());
  // A resend of a message whose sync failed is refused too, never answered `duplicate` at once.
  BOOST_TEST(enqueue("w", "m2").status.code() == "internal");
  BOOST_TEST(core->durability_stats().failures >= 1);
}

BOOST_AUTO_TEST_CASE(a_shutdown_flush_reports_everything_enqueued_at_once) {
  core->watch_durability(loop.post(), loop.on_durable());
  const EnqueueResult first = enqueue("w", "m1");
  const EnqueueResult second = enqueue("w", "m2");
  core->flush_durability();  // no posted task has run: the report comes from the flush itself
  BOOST_REQUIRE(!loop.reports.empty());
  BOOST_TEST(loop.reports.back().first == second.durable_at);
  BOOST_TEST(loop.reports.back().second);
  BOOST_TEST(second.durable_at > first.durable_at);
  const std::size_t reported = loop.reports.size();
  core->flush_durability();  // nothing new: no report
  BOOST_TEST(loop.reports.size() == reported);
}

BOOST_AUTO_TEST_CASE(a_database_not_in_wal_mode_keeps_synchronous_commits) {
  BOOST_REQUIRE(storage().db().exec("PRAGMA journal_mode=DELETE").is_ok());
  core->watch_durability(loop.post(), loop.on_durable());
  BOOST_TEST(enqueue("w", "m1").durable_at == 0u);
}

BOOST_AUTO_TEST_CASE(an_in_memory_core_is_never_watched) {
  options.storage_type = "memory";
  reopen();
  create_world("W");
  core->watch_durability(loop.post(), loop.on_durable());
  BOOST_TEST(enqueue("w", "m1").durable_at == 0u);
  core->watch_durability({}, {});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::test
