// Database: one SQLite connection with the project's pragmas, a cache of prepared statements, and RAII Statement
// and Transaction handles. Every storage class of gateway/storage/ works through it.
//
// Pragmas (agent-runtime.md §14): journal_mode=WAL, foreign_keys=ON, busy_timeout=30000, synchronous=NORMAL, and
// page_size=1024 for a new database file (an existing one keeps its page size). The
// in-memory variant (AGENT_WORLD_STORAGE_TYPE=memory, tests only) opens `file:aw?mode=memory&cache=shared` with
// journal_mode=MEMORY.
//
// Thread-safety: a Database and everything borrowed from it belong to one thread (the gateway's loop thread).
// Other threads open their own Database on the same file; SQLite serialises the writers (BEGIN IMMEDIATE plus the
// busy timeout).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace aw::gateway::storage {

class Database;

// A prepared statement borrowed for one use: bind, step, read columns. On destruction it is reset and its bindings
// cleared (a cached statement), or finalised (a statement prepared while its cached copy was in use).
// Bind indices are 1-based (as in SQLite); column indices are 0-based.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  void bind(int index, std::string_view value);
  void bind(int index, const std::string& value) { bind(index, std::string_view(value)); }
  void bind(int index, const char* value) { bind(index, std::string_view(value)); }
  void bind(int index, std::int64_t value);
  void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, std::uint64_t value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, double value);
  void bind(int index, bool value) { bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
  void bind(int index, std::nullptr_t);
  template <typename T>
  void bind(int index, const std::optional<T>& value) {
    if (value) {
      bind(index, *value);
    } else {
      bind(index, nullptr);
    }
  }
  // Binds the arguments to parameters 1..n in order.
  template <typename... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances: true when a row is available, false when the statement is done. A bind error is reported here.
  Result<bool> step();
  // Steps to completion, for statements whose rows (if any) are not needed.
  Status run();
  // Steps once and returns column 0 as an integer, 0 when there is no row (COUNT, EXISTS, MAX queries).
  Result<std::int64_t> single_integer();

  bool is_null(int column) const;
  std::string text(int column) const;  // "" for NULL
  std::optional<std::string> optional_text(int column) const;
  std::int64_t integer(int column) const;  // 0 for NULL
  std::optional<std::int64_t> optional_integer(int column) const;
  double real(int column) const;
  std::optional<double> optional_real(int column) const;

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* stmt, bool* in_use);

  Status error_status(int rc) const;

  Database* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache slot's flag; nullptr when this handle owns stmt_
  int bind_error_ = 0;
};

class Database {
 public:
  // Opens (creating if needed) the file at `path`, or the shared in-memory database when `in_memory`.
  // Fails with code "storage_unavailable" and a message naming the file.
  static Result<std::unique_ptr<Database>> open(const std::string& path, bool in_memory);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more SQL statements that return no rows needed by the caller.
  Status exec(std::string_view sql);

  // A statement for `sql`, prepared once (SQLITE_PREPARE_PERSISTENT) and reused. Nested use of the same SQL gets a
  // separately prepared copy. Fails with code "internal" on a SQL error. One statement per call (a tail after the
  // first `;` is ignored). The lookup neither allocates nor copies `sql`: pass static text where possible.
  Result<Statement> prepare(std::string_view sql);

  // True between BEGIN and COMMIT/ROLLBACK.
  bool in_transaction() const;
  // Rows changed by the most recent INSERT/UPDATE/DELETE.
  std::int64_t changes() const;
  // The file name given to open() (the URI for the in-memory database).
  const std::string& path() const { return path_; }
  bool is_in_memory() const { return in_memory_; }
  // The write-ahead log's file as SQLite names it (next to the real file when `path` is a symbolic link); empty for
  // the in-memory database.
  std::string wal_path() const;

  // Internal: the SQLite message of the last failure, for Status texts.
  std::string last_error() const;

  // Changes when the database may have changed: rows written through this connection (sqlite3_total_changes64,
  // counted even when rolled back) or a commit of another connection that this connection has seen (the pager's
  // data version, updated when this connection next starts a transaction). Equal stamps mean equal contents,
  // provided no transaction is open; callers that cache query results key them with it.
  struct ChangeStamp {
    std::int64_t own_changes = 0;
    unsigned data_version = 0;
    bool operator==(const ChangeStamp& o) const {
      return own_changes == o.own_changes && data_version == o.data_version;
    }
  };
  ChangeStamp change_stamp() const;

 private:
  friend class Transaction;
  friend class ReadTransaction;
  Database(sqlite3* handle, std::string path, bool in_memory);
  // Runs one cached statement to completion (BEGIN, COMMIT): no parse per call, as exec() has.
  Status run_cached(std::string_view sql);

  struct CachedStatement {
    std::unique_ptr<const std::string> sql;  // the text the map's key views
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  sqlite3* handle_;
  const std::string path_;
  const bool in_memory_;
  // Keyed by a view of CachedStatement::sql. Node-based: slot addresses are stable.
  std::unordered_map<std::string_view, CachedStatement> cache_;
  int savepoint_depth_ = 0;  // open nested Transactions
};

// A write transaction: BEGIN IMMEDIATE (so a transaction that reads then writes never fails with
// SQLITE_BUSY_SNAPSHOT), or a SAVEPOINT when one is already open on this connection. Rolled back on destruction
// unless committed.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status commit();

 private:
  Transaction(Database* db, int depth) : db_(db), depth_(depth) {}
  void rollback();

  Database* db_;
  int depth_;  // 0: the outer BEGIN; n > 0: SAVEPOINT aw_sp_n
  bool done_ = false;
};

// A read snapshot for a command that runs several SELECTs: a deferred BEGIN, so that the statements share one read
// transaction (one WAL read lock and one cycle of the file locks) instead of each taking its own; COMMIT when it
// ends. Nothing (an empty handle) when a transaction is already open. Only for code that does not write: a write
// inside would upgrade the snapshot, which fails with SQLITE_BUSY_SNAPSHOT if another connection wrote meanwhile.
class ReadTransaction {
 public:
  static Result<ReadTransaction> begin(Database& db);

  ReadTransaction(ReadTransaction&& other) noexcept;
  ReadTransaction& operator=(ReadTransaction&&) = delete;
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction();

 private:
  explicit ReadTransaction(Database* db) : db_(db) {}

  Database* db_;  // nullptr: nothing to end
};

}  // namespace aw::gateway::storage
