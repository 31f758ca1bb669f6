// Tests of gateway/storage/wal_syncer.h: every ticket is reported after a sync of a real WAL, in order; a WAL that
// cannot be opened is a failed sync; the destructor syncs what was requested; numbering continues.
#include "gateway/storage/wal_syncer.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

#include "gateway/storage/database.h"
#include "tests/unit/gateway/temp_dir.h"

namespace aw::gateway::storage {
namespace {

// What the syncer reported, from its thread.
struct Reports {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<SyncTicket, bool>> seen;

  WalSyncer::OnSynced sink() {
    return [this](SyncTicket synced, bool ok) {
      std::lock_guard<std::mutex> lock(mutex);
      seen.emplace_back(synced, ok);
      changed.notify_all();
    };
  }
  // Waits (5 s at most) until a report covers `ticket`; the reports so far.
  std::vector<std::pair<SyncTicket, bool>> wait_for(SyncTicket ticket) {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(5), [&] { return !seen.empty() && seen.back().first >= ticket; });
    return seen;
  }
};

struct WalFixture {
  test::TempDir dir;
  std::string path = dir.file("db.sqlite");
  std::unique_ptr<Database> db = Database::open(path, false).value();
  Reports reports;

  void commit_a_row() {
    BOOST_REQUIRE(db->exec("CREATE TABLE IF NOT EXISTS t (v INTEGER); INSERT INTO t (v) VALUES (1);").is_ok());
  }
};

BOOST_FIXTURE_TEST_SUITE(wal_syncer, WalFixture)

BOOST_AUTO_TEST_CASE(every_ticket_is_reported_synced_in_order) {
  WalSyncer syncer(db->wal_path(), reports.sink());
  commit_a_row();
  const SyncTicket first = syncer.request();
  commit_a_row();
  const SyncTicket second = syncer.request();
  const SyncTicket third = syncer.request();
  BOOST_TEST(first == 1u);
  BOOST_TEST(second == 2u);
  BOOST_TEST(third == 3u);
  auto seen = reports.wait_for(third);
  BOOST_REQUIRE(!seen.empty());
  BOOST_TEST(seen.back().first == third);
  SyncTicket previous = 0;
  for (const auto& [synced, ok] : seen) {
    BOOST_TEST(ok);
    BOOST_TEST(synced > previous);  // increasing; one sync may cover several tickets
    previous = synced;
  }
  const WalSyncer::Stats stats = syncer.stats();
  BOOST_TEST(stats.syncs == static_cast<std::int64_t>(seen.size()));
  BOOST_TEST(stats.failures == 0);
  BOOST_TEST(stats.seconds > 0.0);
}

BOOST_AUTO_TEST_CASE(a_wal_that_cannot_be_opened_is_a_failed_sync) {
  WalSyncer syncer(dir.file("no-such.sqlite-wal"), reports.sink());
  const SyncTicket ticket = syncer.request();
  auto seen = reports.wait_for(ticket);
  BOOST_REQUIRE(seen.size() == 1u);
  BOOST_TEST(seen[0].first == ticket);
  BOOST_TEST(!seen[0].second);
  BOOST_TEST(syncer.stats().failures == 1);
}

BOOST_AUTO_TEST_CASE(the_destructor_syncs_what_was_requested) {
  commit_a_row();
  SyncTicket ticket = 0;
  {
    WalSyncer syncer(db->wal_path(), reports.sink());
    ticket = syncer.request();
  }
  std::lock_guard<std::mutex> lock(reports.mutex);
  BOOST_REQUIRE(!reports.seen.empty());
  BOOST_TEST(reports.seen.back().first == ticket);
  BOOST_TEST(reports.seen.back().second);
}

BOOST_AUTO_TEST_CASE(numbering_continues_after_the_last_ticket) {
  WalSyncer syncer(db->wal_path(), reports.sink(), 41);
  commit_a_row();
  BOOST_TEST(syncer.request() == 42u);
  const auto seen = reports.wait_for(42);
  BOOST_REQUIRE(!seen.empty());
  BOOST_TEST(seen.back().first == 42u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::storage
