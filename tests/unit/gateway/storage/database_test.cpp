// Tests of gateway/storage/database.h: pragmas, the statement cache, transactions.
#include "gateway/storage/database.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "tests/unit/gateway/temp_dir.h"

namespace aw::gateway::storage {
namespace {

struct DatabaseFixture {
  test::TempDir dir;
  std::unique_ptr<Database> db = Database::open(dir.file("db.sqlite"), false).value();

  std::int64_t count_rows() {
    auto stmt = db->prepare("SELECT COUNT(*) FROM t");
    BOOST_REQUIRE(stmt.is_ok());
    BOOST_REQUIRE(stmt->step().value());
    return stmt->integer(0);
  }
  std::string pragma(const std::string& name) {
    auto stmt = db->prepare("PRAGMA " + name);
    BOOST_REQUIRE(stmt.is_ok());
    BOOST_REQUIRE(stmt->step().value());
    return stmt->text(0);
  }
};

BOOST_FIXTURE_TEST_SUITE(database, DatabaseFixture)

BOOST_AUTO_TEST_CASE(file_database_uses_wal_foreign_keys_and_normal_sync) {
  BOOST_TEST(pragma("journal_mode") == "wal");
  BOOST_TEST(pragma("foreign_keys") == "1");
  BOOST_TEST(pragma("synchronous") == "1");  // NORMAL
  BOOST_TEST(pragma("busy_timeout") == "30000");
}

BOOST_AUTO_TEST_CASE(new_file_database_gets_1_kib_pages) {
  BOOST_REQUIRE(db->exec("CREATE TABLE t (x INTEGER)").is_ok());
  BOOST_TEST(pragma("page_size") == "1024");
}

BOOST_AUTO_TEST_CASE(existing_database_keeps_its_page_size) {
  const std::string path = dir.file("older.sqlite");
  {
    auto older = Database::open(path, false).value();
    BOOST_REQUIRE(older->exec("CREATE TABLE probe (x INTEGER)").is_ok());
    // A file created with another page size (as by an older gateway, SQLite's default 4096).
    BOOST_REQUIRE(
        older->exec("PRAGMA journal_mode=DELETE; PRAGMA page_size=4096; VACUUM; PRAGMA journal_mode=WAL;").is_ok());
  }
  auto reopened = Database::open(path, false).value();
  BOOST_REQUIRE(reopened->exec("INSERT INTO probe VALUES (1)").is_ok());
  auto stmt = reopened->prepare("PRAGMA page_size");
  BOOST_REQUIRE(stmt.is_ok());
  BOOST_REQUIRE(stmt->step().value());
  BOOST_TEST(stmt->text(0) == "4096");
}

BOOST_AUTO_TEST_CASE(memory_database_uses_memory_journal_and_is_shared) {
  auto first = Database::open("", true);
  BOOST_REQUIRE(first.is_ok());
  BOOST_TEST(first.value()->is_in_memory());
  BOOST_REQUIRE(first.value()->exec("CREATE TABLE shared_probe (x INTEGER)").is_ok());
  auto stmt = first.value()->prepare("PRAGMA journal_mode");
  BOOST_REQUIRE(stmt.is_ok());
  BOOST_REQUIRE(stmt->step().value());
  BOOST_TEST(stmt->text(0) == "memory");
  // A second connection sees the same database (cache=shared) while the first is open.
  auto second = Database::open("", true);
  BOOST_REQUIRE(second.is_ok());
  BOOST_TEST(second.value()->exec("INSERT INTO shared_probe VALUES (1)").is_ok());
}

BOOST_AUTO_TEST_CASE(unopenable_path_fails_naming_the_file) {
  auto bad = Database::open(dir.file("missing-dir/x.db"), false);
  BOOST_REQUIRE(!bad.is_ok());
  BOOST_TEST(bad.status().code() == "storage_unavailable");
  BOOST_TEST(bad.status().message().find("missing-dir/x.db") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(cached_statement_is_reused_and_nested_use_gets_a_copy) {
  BOOST_REQUIRE(db->exec("CREATE TABLE t (x INTEGER)").is_ok());
  for (int i = 0; i < 3; ++i) {
    auto insert = db->prepare("INSERT INTO t VALUES (?)");
    BOOST_REQUIRE(insert.is_ok());
    insert->bind_all(i);
    BOOST_REQUIRE(insert->run().is_ok());
  }
  auto outer = db->prepare("SELECT x FROM t ORDER BY x");
  BOOST_REQUIRE(outer.is_ok());
  BOOST_REQUIRE(outer->step().value());
  BOOST_TEST(outer->integer(0) == 0);
  {
    auto inner = db->prepare("SELECT x FROM t ORDER BY x");  // same SQL while the outer one is mid-iteration
    BOOST_REQUIRE(inner.is_ok());
    BOOST_REQUIRE(inner->step().value());
    BOOST_TEST(inner->integer(0) == 0);
  }
  BOOST_REQUIRE(outer->step().value());
  BOOST_TEST(outer->integer(0) == 1);  // the outer iteration was not disturbed
}

BOOST_AUTO_TEST_CASE(sql_errors_are_statuses) {
  auto bad = db->prepare("SELEKT nonsense");
  BOOST_TEST(!bad.is_ok());
  BOOST_TEST(bad.status().code() == "internal");
  BOOST_REQUIRE(db->exec("CREATE TABLE u (x INTEGER PRIMARY KEY)").is_ok());
  BOOST_REQUIRE(db->exec("INSERT INTO u VALUES (1)").is_ok());
  auto dup = db->prepare("INSERT INTO u VALUES (1)");
  BOOST_REQUIRE(dup.is_ok());
  Status s = dup->run();
  BOOST_TEST(s.code() == "constraint");
}

BOOST_AUTO_TEST_CASE(transaction_rolls_back_unless_committed) {
  BOOST_REQUIRE(db->exec("CREATE TABLE t (x INTEGER)").is_ok());
  {
    auto tx = Transaction::begin(*db);
    BOOST_REQUIRE(tx.is_ok());
    BOOST_TEST(db->in_transaction());
    BOOST_REQUIRE(db->exec("INSERT INTO t VALUES (1)").is_ok());
  }
  BOOST_TEST(!db->in_transaction());
  BOOST_TEST(count_rows() == 0);
  {
    auto tx = Transaction::begin(*db);
    BOOST_REQUIRE(tx.is_ok());
    BOOST_REQUIRE(db->exec("INSERT INTO t VALUES (1)").is_ok());
    BOOST_REQUIRE(tx->commit().is_ok());
  }
  BOOST_TEST(count_rows() == 1);
}

BOOST_AUTO_TEST_CASE(nested_transaction_is_a_savepoint) {
  BOOST_REQUIRE(db->exec("CREATE TABLE t (x INTEGER)").is_ok());
  auto outer = Transaction::begin(*db);
  BOOST_REQUIRE(outer.is_ok());
  BOOST_REQUIRE(db->exec("INSERT INTO t VALUES (1)").is_ok());
  {
    auto inner = Transaction::begin(*db);
    BOOST_REQUIRE(inner.is_ok());
    BOOST_REQUIRE(db->exec("INSERT INTO t VALUES (2)").is_ok());
    // not committed: only the inner insert is undone
  }
  {
    auto inner = Transaction::begin(*db);
    BOOST_REQUIRE(inner.is_ok());
    BOOST_REQUIRE(db->exec("INSERT INTO t VALUES (3)").is_ok());
    BOOST_REQUIRE(inner->commit().is_ok());
  }
  BOOST_TEST(db->in_transaction());
  BOOST_REQUIRE(outer->commit().is_ok());
  BOOST_TEST(count_rows() == 2);
}

BOOST_AUTO_TEST_CASE(read_transaction_is_one_snapshot_and_nests_in_nothing) {
  BOOST_REQUIRE(db->exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)").is_ok());
  auto other = Database::open(dir.file("db.sqlite"), false);
  BOOST_REQUIRE(other.is_ok());
  {
    auto snapshot = ReadTransaction::begin(*db);
    BOOST_REQUIRE(snapshot.is_ok());
    BOOST_TEST(db->in_transaction());
    BOOST_TEST(count_rows() == 1);
    // Another connection commits meanwhile: this snapshot does not see it.
    BOOST_REQUIRE(other.value()->exec("INSERT INTO t VALUES (2)").is_ok());
    BOOST_TEST(count_rows() == 1);
  }
  BOOST_TEST(!db->in_transaction());
  BOOST_TEST(count_rows() == 2);
  // Inside a write transaction it is nothing: it neither commits nor ends the outer transaction.
  auto tx = Transaction::begin(*db);
  BOOST_REQUIRE(tx.is_ok());
  BOOST_REQUIRE(db->exec("INSERT INTO t VALUES (3)").is_ok());
  { BOOST_REQUIRE(ReadTransaction::begin(*db).is_ok()); }
  BOOST_TEST(db->in_transaction());
  BOOST_REQUIRE(tx->commit().is_ok());
  BOOST_TEST(count_rows() == 3);
}

BOOST_AUTO_TEST_CASE(change_stamp_moves_with_every_write_and_not_with_reads) {
  BOOST_REQUIRE(db->exec("CREATE TABLE t (x INTEGER)").is_ok());
  const Database::ChangeStamp start = db->change_stamp();
  BOOST_TEST(count_rows() == 0);
  BOOST_TEST((db->change_stamp() == start));
  BOOST_REQUIRE(db->exec("INSERT INTO t VALUES (1)").is_ok());
  const Database::ChangeStamp written = db->change_stamp();
  BOOST_TEST(!(written == start));
  {
    auto tx = Transaction::begin(*db);
    BOOST_REQUIRE(tx.is_ok());
    BOOST_REQUIRE(db->exec("UPDATE t SET x = 2").is_ok());
  }  // rolled back: the stamp still moved (a cache never keeps what a rolled-back write showed)
  const Database::ChangeStamp rolled_back = db->change_stamp();
  BOOST_TEST(!(rolled_back == written));
  // Another connection's commit: seen once this connection begins a transaction after it.
  {
    auto other = Database::open(dir.file("db.sqlite"), false);
    BOOST_REQUIRE(other.is_ok());
    BOOST_REQUIRE(other.value()->exec("INSERT INTO t VALUES (5)").is_ok());
  }
  BOOST_TEST(count_rows() == 2);
  BOOST_TEST(!(db->change_stamp() == rolled_back));
}

BOOST_AUTO_TEST_CASE(the_wal_path_is_where_sqlite_writes_it_even_through_a_symbolic_link) {
  BOOST_REQUIRE(db->exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)").is_ok());
  BOOST_TEST(db->wal_path() == dir.file("db.sqlite") + "-wal");
  BOOST_TEST(std::filesystem::exists(db->wal_path()));

  std::filesystem::create_directory(dir.file("real"));
  std::filesystem::create_symlink(dir.file("real/target.sqlite"), dir.file("link.sqlite"));
  auto linked = Database::open(dir.file("link.sqlite"), false);
  BOOST_REQUIRE(linked.is_ok());
  BOOST_REQUIRE(linked.value()->exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)").is_ok());
  BOOST_TEST(linked.value()->wal_path() == dir.file("real/target.sqlite") + "-wal");
  BOOST_TEST(std::filesystem::exists(linked.value()->wal_path()));
  BOOST_TEST(!std::filesystem::exists(dir.file("link.sqlite-wal")));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::storage
