// Retention with the real gateway (ws-protocol.md §6 "Retention", §7.3): rows made old by construction (the
// gateway is stopped and the sqlite3 CLI rewrites their timestamps) are pruned by the start-up pass; a reconnect from
// a seq inside the pruned range answers recovered:false, one from the end of it replays the rest, and a message id
// whose completed queue row is past AW_QUEUE_RETENTION_DAYS is queued again as new.
#include <spawn.h>
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>

#include "tests/integration/assertions.h"

extern char** environ;

namespace aw::test {
namespace {

// Runs `sql` on the database file with the sqlite3 CLI (deploy/install-deps.sh installs it); the gateway that owns
// the file must be stopped.
Status run_sqlite(const std::string& database, const std::string& sql) {
  std::string program = "sqlite3";
  std::string bail = "-bail";
  std::string db = database;
  std::string text = sql;
  char* argv[] = {program.data(), bail.data(), db.data(), text.data(), nullptr};
  pid_t pid = 0;
  if (::posix_spawnp(&pid, "sqlite3", nullptr, nullptr, argv, environ) != 0) {
    return Status::internal("cannot run the sqlite3 CLI (deploy/install-deps.sh installs it)");
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::internal("sqlite3 failed on: " + sql);
  }
  return Status::ok();
}

JsonObject replay_from(std::int64_t seq, const std::string& epoch) {
  return JsonObject().set("fromSeq", seq).set("epoch", epoch);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(retention, GatewayFixture)

BOOST_AUTO_TEST_CASE(old_rows_are_pruned_at_start_and_replay_from_below_them_is_not_recovered) {
  GatewayProcess& gateway = start_own({{"AW_EVENT_RETENTION_DAYS", "1"}, {"AW_QUEUE_RETENTION_DAYS", "1"}});
  const std::string world = "retention-world";
  std::int64_t latest = 0;
  std::string epoch;
  {
    auto writer = connect(gateway);
    AW_REQUIRE_OK(create_world(*writer, "Retention World"));
    for (const char* agent : {"agent-a", "agent-b"}) {
      require_success(*writer, "create-agent", JsonObject().set("id", agent).set("name", agent), world);
    }
    require_queued(*writer, world, "msg-old-1", "an old message");
    require_queued(*writer, world, "msg-new-1", "a recent message");
    const Frame ack = require_subscribed(*writer, world);
    latest = int_of(ack, "payload.latestSeq");
    epoch = str_of(ack, "payload.epoch");
  }
  BOOST_REQUIRE(latest >= 4);
  AW_REQUIRE_OK(gateway.terminate());

  // Every frame but the last is two days old; one queue row ended long ago, the other an hour ago.
  const std::string db = gateway.database_path();
  AW_REQUIRE_OK(run_sqlite(db, "UPDATE events SET ts_ms = ts_ms - 172800000 WHERE seq < " + std::to_string(latest)));
  AW_REQUIRE_OK(run_sqlite(db,
                           "UPDATE message_queue SET state = 'completed', finished_at = '2020-01-01T00:00:00.000Z' "
                           "WHERE message_id = 'msg-old-1'"));
  AW_REQUIRE_OK(run_sqlite(db,
                           "UPDATE message_queue SET state = 'completed', finished_at = strftime('%Y-%m-%dT%H:%M:%fZ',"
                           " 'now', '-1 hour') WHERE message_id = 'msg-new-1'"));
  AW_REQUIRE_OK(gateway.restart());

  auto below = connect(gateway);
  const Frame refused = require_subscribed(*below, world, std::nullopt, replay_from(1, epoch));
  BOOST_TEST(bool_of(refused, "payload.recovered") == 0);
  BOOST_TEST(int_of(refused, "payload.latestSeq") == latest);

  auto at_edge = connect(gateway);
  const Frame replayed = require_subscribed(*at_edge, world, std::nullopt, replay_from(latest - 1, epoch));
  BOOST_TEST(bool_of(replayed, "payload.recovered") == 1);
  BOOST_TEST(int_of(replayed, "payload.replayCount") == 1);

  // The dedup window: the old id is new again, the recent one is still a duplicate.
  auto sender = connect(gateway);
  const Frame again = require_queued(*sender, world, "msg-old-1", "an old message");
  BOOST_TEST(!again.has("payload.duplicate"));
  const Frame duplicate = require_queued(*sender, world, "msg-new-1", "a recent message");
  BOOST_TEST(bool_of(duplicate, "payload.duplicate") == 1);
  BOOST_TEST(str_of(duplicate, "payload.state") == "completed");
}

BOOST_AUTO_TEST_CASE(a_bad_retention_setting_stops_the_gateway_at_start) {
  auto started = GatewayProcess::start(gateway_options({{"AW_EVENT_RETENTION_DAYS", "soon"}}));
  BOOST_REQUIRE(!started.is_ok());
  BOOST_TEST(started.status().code() == "gateway_exited", started.status().message());
  BOOST_TEST(started.status().message().find("status 2") != std::string::npos, started.status().message());
  BOOST_TEST(started.status().message().find("AW_EVENT_RETENTION_DAYS") != std::string::npos,
             started.status().message());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
