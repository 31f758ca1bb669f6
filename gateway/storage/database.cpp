// SQLite connection, statement cache and transactions (see database.h).
#include "gateway/storage/database.h"

#include <sqlite3.h>

#include <utility>

namespace aw::gateway::storage {
namespace {

// The busy timeout of agent-runtime.md §14: a second writer (another process, a test thread) waits for the lock
// instead of failing at once.
constexpr int kBusyTimeoutMs = 30000;

// Page size of a database created by this gateway (SQLite's default is 4096). Every commit appends each page it
// changed to the WAL, and the fdatasync behind a `queued` ack (wal_syncer.h) flushes all of them since the last: about
// 55 pages per chat message, mostly index and table leaves touched for one small row. 1 KiB pages make that flush a
// quarter of the bytes (docs/benchmarks.md "Session 5": the median send -> sse end 0.6-1.3 ms shorter).
// An existing database keeps its page size (docs/operations.md "Database page size").
constexpr int kNewDatabasePageBytes = 1024;

std::string sql_excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 60;
  std::string out(sql.substr(0, kMax));
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return sql.size() > kMax ? out + "..." : out;
}

}  // namespace

// ---- Statement ----

Statement::Statement(Database* db, sqlite3_stmt* stmt, bool* in_use) : db_(db), stmt_(stmt), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), in_use_(other.in_use_), bind_error_(other.bind_error_) {
  other.stmt_ = nullptr;
  other.in_use_ = nullptr;
}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

void Statement::bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::bind(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::bind(int index, std::nullptr_t) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

Status Statement::error_status(int rc) const {
  std::string text = "sqlite: " + std::string(sqlite3_errstr(rc)) + ": " + db_->last_error() + " (" +
                     sql_excerpt(sqlite3_sql(stmt_)) + ")";
  if ((rc & 0xff) == SQLITE_CONSTRAINT) return Status::error("constraint", std::move(text));
  return Status::internal(std::move(text));
}

Result<bool> Statement::step() {
  if (bind_error_ != 0) return error_status(bind_error_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return error_status(rc);
}

Status Statement::run() {
  while (true) {
    auto more = step();
    if (!more) return more.status();
    if (!more.value()) return Status::ok();
  }
}

Result<std::int64_t> Statement::single_integer() {
  auto row = step();
  if (!row) return row.status();
  return row.value() ? integer(0) : 0;
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  if (data == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(data),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::optional<std::int64_t> Statement::optional_integer(int column) const {
  if (is_null(column)) return std::nullopt;
  return integer(column);
}

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::optional<double> Statement::optional_real(int column) const {
  if (is_null(column)) return std::nullopt;
  return real(column);
}

// ---- Database ----

Database::Database(sqlite3* handle, std::string path, bool in_memory)
    : handle_(handle), path_(std::move(path)), in_memory_(in_memory) {}

Database::~Database() {
  for (auto& entry : cache_) sqlite3_finalize(entry.second.stmt);
  sqlite3_close_v2(handle_);
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, bool in_memory) {
  const std::string target = in_memory ? std::string("file:aw?mode=memory&cache=shared") : path;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (in_memory) flags |= SQLITE_OPEN_URI;
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(target.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close_v2(handle);
    return Status::error("storage_unavailable", "cannot open database " + target + ": " + why);
  }
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, kBusyTimeoutMs);
  std::unique_ptr<Database> db(new Database(handle, target, in_memory));
  // synchronous=NORMAL: durable across process crashes; Debian's WAL default is FULL, which costs a sync per commit.
  // page_size before journal_mode: it applies only to a database that has no page yet (docs/storage.md "Page size").
  std::string pragmas =
      in_memory ? "PRAGMA journal_mode=MEMORY;"
                : "PRAGMA page_size=" + std::to_string(kNewDatabasePageBytes) + "; PRAGMA journal_mode=WAL;";
  pragmas += "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
  Status s = db->exec(pragmas);
  if (!s) return Status::error("storage_unavailable", "cannot use database " + target + ": " + s.message());
  return db;
}

std::string Database::wal_path() const {
  if (in_memory_) return {};
  const char* main = sqlite3_db_filename(handle_, "main");
  const char* wal = main != nullptr ? sqlite3_filename_wal(main) : nullptr;
  return wal != nullptr ? std::string(wal) : std::string();
}

std::string Database::last_error() const { return sqlite3_errmsg(handle_); }

Status Database::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(handle_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::ok();
  std::string why = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Status::internal("sqlite: " + why + " (" + sql_excerpt(sql) + ")");
}

Database::ChangeStamp Database::change_stamp() const {
  ChangeStamp stamp;
  stamp.own_changes = sqlite3_total_changes64(handle_);
  // SQLITE_FCNTL_DATA_VERSION reads a counter of the pager: no I/O and no transaction.
  if (sqlite3_file_control(handle_, "main", SQLITE_FCNTL_DATA_VERSION, &stamp.data_version) != SQLITE_OK) {
    stamp.data_version = 0;
  }
  return stamp;
}

Status Database::run_cached(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.status();
  return stmt->run();
}

Result<Statement> Database::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(this, it->second.stmt, &it->second.in_use);
  }
  // Not cached yet, or in use by an enclosing caller: prepare a copy. Only the first copy is kept.
  const bool keep = it == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()), keep ? SQLITE_PREPARE_PERSISTENT : 0,
                              &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return Status::internal("sqlite: cannot prepare (" + sql_excerpt(sql) + "): " + last_error());
  }
  if (!keep) return Statement(this, stmt, nullptr);
  CachedStatement entry;
  entry.sql = std::make_unique<const std::string>(sql);
  entry.stmt = stmt;
  entry.in_use = true;
  const std::string_view key(*entry.sql);  // heap text: stable while the slot lives
  auto& slot = cache_.emplace(key, std::move(entry)).first->second;
  return Statement(this, stmt, &slot.in_use);
}

bool Database::in_transaction() const { return sqlite3_get_autocommit(handle_) == 0; }

std::int64_t Database::changes() const { return sqlite3_changes64(handle_); }

// ---- Transaction ----

Result<Transaction> Transaction::begin(Database& db) {
  if (!db.in_transaction()) {
    Status s = db.run_cached("BEGIN IMMEDIATE");
    if (!s) return s;
    db.savepoint_depth_ = 0;
    return Transaction(&db, 0);
  }
  int depth = db.savepoint_depth_ + 1;
  // Cached like BEGIN: the bus opens a savepoint per write of every inbound batch.
  Status s = db.run_cached("SAVEPOINT aw_sp_" + std::to_string(depth));
  if (!s) return s;
  db.savepoint_depth_ = depth;
  return Transaction(&db, depth);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(other.db_), depth_(other.depth_), done_(other.done_) {
  other.done_ = true;
}

Transaction::~Transaction() {
  if (!done_) rollback();
}

Status Transaction::commit() {
  if (done_) return Status::internal("transaction already finished");
  Status s = depth_ == 0 ? db_->run_cached("COMMIT") : db_->run_cached("RELEASE aw_sp_" + std::to_string(depth_));
  if (!s) {
    rollback();
    return s;
  }
  done_ = true;
  if (depth_ > 0) db_->savepoint_depth_ = depth_ - 1;
  return Status::ok();
}

void Transaction::rollback() {
  done_ = true;
  if (depth_ == 0) {
    // Fails harmlessly when SQLite already rolled back (e.g. after SQLITE_FULL).
    (void)db_->exec("ROLLBACK");
  } else {
    const std::string name = "aw_sp_" + std::to_string(depth_);
    (void)db_->exec("ROLLBACK TO " + name + "; RELEASE " + name);
    db_->savepoint_depth_ = depth_ - 1;
  }
}

// ---- ReadTransaction ----

Result<ReadTransaction> ReadTransaction::begin(Database& db) {
  if (db.in_transaction()) return ReadTransaction(nullptr);
  Status s = db.run_cached("BEGIN");
  if (!s) return s;
  return ReadTransaction(&db);
}

ReadTransaction::ReadTransaction(ReadTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }

ReadTransaction::~ReadTransaction() {
  if (db_ == nullptr || !db_->in_transaction()) return;
  // Nothing was written: COMMIT only ends the snapshot. Should it fail, ROLLBACK still releases the read lock.
  if (!db_->run_cached("COMMIT")) (void)db_->exec("ROLLBACK");
}

}  // namespace aw::gateway::storage
