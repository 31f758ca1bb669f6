// Tests of gateway/storage/schema_migrations.h: fresh and partial migrations, refusal of foreign databases.
#include "gateway/storage/schema_migrations.h"

#include <boost/test/unit_test.hpp>

#include "gateway/storage/storage.h"
#include "tests/unit/gateway/temp_dir.h"

namespace aw::gateway::storage {
namespace {

struct MigrationFixture {
  test::TempDir dir;
  std::string path = dir.file("agent-world-cpp.db");

  std::unique_ptr<Database> open() { return Database::open(path, false).value(); }
  static bool has_table(Database& db, const std::string& name) {
    auto stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    BOOST_REQUIRE(stmt.is_ok());
    stmt->bind_all(name);
    return stmt->step().value();
  }
  static std::int64_t count(Database& db, const std::string& sql) {
    auto stmt = db.prepare(sql);
    BOOST_REQUIRE(stmt.is_ok());
    BOOST_REQUIRE(stmt->step().value());
    return stmt->integer(0);
  }
};

BOOST_FIXTURE_TEST_SUITE(schema_migrations, MigrationFixture)

BOOST_AUTO_TEST_CASE(empty_database_is_migrated_to_latest) {
  auto db = open();
  BOOST_TEST(schema_version(*db).value() == 0);
  BOOST_REQUIRE(migrate(*db).is_ok());
  BOOST_TEST(schema_version(*db).value() == latest_schema_version());
  BOOST_TEST(latest_schema_version() >= 2);
  for (const char* table : {"aw_meta", "aw_schema_migrations", "worlds", "agents", "chats", "messages", "agent_memory",
                            "event_logs", "events", "message_queue"}) {
    BOOST_TEST(has_table(*db, table), table);
  }
  BOOST_TEST(count(*db, "SELECT COUNT(*) FROM aw_meta WHERE key = 'app' AND value = 'agent-world-cpp'") == 1);
  BOOST_TEST(count(*db, "SELECT COUNT(*) FROM aw_schema_migrations") == latest_schema_version());
  BOOST_TEST(count(*db, "SELECT COUNT(*) FROM aw_schema_migrations WHERE applied_at LIKE '____-__-__T__:__:__.___Z'") ==
             latest_schema_version());
}

BOOST_AUTO_TEST_CASE(each_older_version_is_migrated_forward_keeping_data) {
  for (int from = 1; from < latest_schema_version(); ++from) {
    const std::string file = dir.file("v" + std::to_string(from) + ".db");
    {
      auto db = Database::open(file, false).value();
      BOOST_REQUIRE(migrate(*db, from).is_ok());
      BOOST_TEST(schema_version(*db).value() == from);
      BOOST_TEST(has_table(*db, "message_queue") == (from >= 2));  // version 2 brought the queue
      BOOST_REQUIRE(
          db->exec("INSERT INTO worlds (id, name, created_at, updated_at) VALUES ('w', 'W', 'a', 'a')").is_ok());
    }
    auto reopened = Storage::open(file, false);  // what the gateway does at start
    BOOST_REQUIRE(reopened.is_ok());
    Database& db = reopened.value()->db();
    BOOST_TEST(schema_version(db).value() == latest_schema_version());
    BOOST_TEST(has_table(db, "message_queue"));
    BOOST_TEST(count(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'agent_memory_chat'") ==
               1);  // version 3
    BOOST_TEST(count(db, "SELECT COUNT(*) FROM worlds WHERE id = 'w'") == 1);
  }
}

BOOST_AUTO_TEST_CASE(migrating_twice_changes_nothing) {
  auto db = open();
  BOOST_REQUIRE(migrate(*db).is_ok());
  BOOST_REQUIRE(migrate(*db).is_ok());
  BOOST_TEST(count(*db, "SELECT COUNT(*) FROM aw_schema_migrations") == latest_schema_version());
}

BOOST_AUTO_TEST_CASE(database_with_tables_but_no_marker_is_refused) {
  {
    auto db = open();
    BOOST_REQUIRE(db->exec("CREATE TABLE worlds (id TEXT PRIMARY KEY)").is_ok());  // e.g. the TypeScript server's file
  }
  auto opened = Storage::open(path, false);
  BOOST_REQUIRE(!opened.is_ok());
  BOOST_TEST(opened.status().code() == "foreign_database");
  BOOST_TEST(opened.status().message().find(path) != std::string::npos);
  auto db = open();
  BOOST_TEST(!has_table(*db, "aw_schema_migrations"));  // nothing was migrated
}

BOOST_AUTO_TEST_CASE(aw_meta_with_another_app_is_refused) {
  {
    auto db = open();
    BOOST_REQUIRE(db->exec("CREATE TABLE aw_meta (key TEXT PRIMARY KEY, value TEXT);"
                           "INSERT INTO aw_meta VALUES ('app', 'something-else')")
                      .is_ok());
  }
  auto opened = Storage::open(path, false);
  BOOST_REQUIRE(!opened.is_ok());
  BOOST_TEST(opened.status().code() == "foreign_database");
}

BOOST_AUTO_TEST_CASE(newer_schema_is_refused) {
  auto db = open();
  BOOST_REQUIRE(migrate(*db).is_ok());
  BOOST_REQUIRE(db->exec("INSERT INTO aw_schema_migrations VALUES (999, 'future', 'x')").is_ok());
  Status s = migrate(*db);
  BOOST_TEST(s.code() == "schema_too_new");
}

BOOST_AUTO_TEST_CASE(schema_enforces_checks_and_foreign_keys) {
  auto db = open();
  BOOST_REQUIRE(migrate(*db).is_ok());
  BOOST_TEST(!db->exec("INSERT INTO worlds (id, name, turn_limit, created_at, updated_at) VALUES ('w','W',0,'a','a')")
                  .is_ok());
  BOOST_REQUIRE(db->exec("INSERT INTO worlds (id, name, created_at, updated_at) VALUES ('w','W','a','a')").is_ok());
  BOOST_TEST(!db->exec("INSERT INTO chats (id, world_id, name, created_at, updated_at) VALUES ('c','nope','N','a','a')")
                  .is_ok());
  BOOST_TEST(!db->exec("INSERT INTO message_queue (world_id, message_id, content, sender, state, max_attempt, "
                       "created_at) VALUES ('w','m','','human','bogus',1,'a')")
                  .is_ok());
  BOOST_TEST(!db->exec("INSERT INTO agents (world_id, id, name, status, provider, model, created_at, last_active, "
                       "position, rev, temperature) VALUES ('w','a','A','inactive','openai','m','a','a',1,1,3.5)")
                  .is_ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::storage
