// The durable message queue (see queue_store.h).
#include "gateway/storage/queue_store.h"

namespace aw::gateway::storage {

const char* const kQueueItemColumns =
    "world_id, message_id, chat_id, content, sender, priority, state, attempt, max_attempt, error, error_code, "
    "lease_owner, next_attempt_at, trigger_published, created_at, started_at, finished_at";

QueueItemRecord read_queue_item(const Statement& row) {
  QueueItemRecord q;
  q.world_id = row.text(0);
  q.message_id = row.text(1);
  q.chat_id = row.optional_text(2);
  q.content = row.text(3);
  q.sender = row.text(4);
  q.priority = row.integer(5);
  q.state = row.text(6);
  q.attempt = row.integer(7);
  q.max_attempt = row.integer(8);
  q.error = row.optional_text(9);
  q.error_code = row.optional_text(10);
  q.lease_owner = row.optional_text(11);
  q.next_attempt_at = row.optional_integer(12);
  q.trigger_published = row.integer(13) != 0;
  q.created_at = row.text(14);
  q.started_at = row.optional_text(15);
  q.finished_at = row.optional_text(16);
  return q;
}

Result<std::vector<QueueItemRecord>> QueueStore::query(const std::string& sql,
                                                       const std::optional<std::string>& world_id,
                                                       std::optional<std::int64_t> limit) {
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.status();
  int next = 1;
  if (world_id) stmt->bind(next++, *world_id);
  if (limit) stmt->bind(next, *limit);
  std::vector<QueueItemRecord> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!row.value()) break;
    out.push_back(read_queue_item(*stmt));
  }
  return out;
}

Result<std::optional<QueueItemRecord>> QueueStore::find(std::string_view world_id, std::string_view message_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kQueueItemColumns +
                          " FROM message_queue WHERE world_id = ? AND message_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, message_id);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!row.value()) return std::optional<QueueItemRecord>();
  return std::optional<QueueItemRecord>(read_queue_item(*stmt));
}

Status QueueStore::insert(const QueueItemRecord& q) {
  auto stmt = db_.prepare(std::string("INSERT INTO message_queue (") + kQueueItemColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.status();
  stmt->bind_all(q.world_id, q.message_id, q.chat_id, q.content, q.sender, q.priority, q.state, q.attempt,
                 q.max_attempt, q.error, q.error_code, q.lease_owner, q.next_attempt_at, q.trigger_published,
                 q.created_at, q.started_at, q.finished_at);
  return stmt->run();
}

Status QueueStore::update(const QueueItemRecord& q) {
  auto stmt = db_.prepare(
      "UPDATE message_queue SET chat_id = ?, state = ?, attempt = ?, max_attempt = ?, error = ?, error_code = ?, "
      "lease_owner = ?, next_attempt_at = ?, trigger_published = ?, started_at = ?, finished_at = ? "
      "WHERE world_id = ? AND message_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(q.chat_id, q.state, q.attempt, q.max_attempt, q.error, q.error_code, q.lease_owner, q.next_attempt_at,
                 q.trigger_published, q.started_at, q.finished_at, q.world_id, q.message_id);
  return stmt->run();
}

Result<std::int64_t> QueueStore::count_in_state(std::string_view world_id, std::string_view state) {
  auto stmt = db_.prepare("SELECT COUNT(*) FROM message_queue WHERE world_id = ? AND state = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, state);
  return stmt->single_integer();
}

Result<std::vector<QueueItemRecord>> QueueStore::active(std::string_view world_id) {
  return query(std::string("SELECT ") + kQueueItemColumns +
                   " FROM message_queue WHERE world_id = ? AND state IN ('pending', 'processing') "
                   "ORDER BY created_at, rowid",
               std::string(world_id), std::nullopt);
}

Result<std::vector<QueueItemRecord>> QueueStore::failed(const std::optional<std::string>& world_id,
                                                        std::int64_t limit) {
  std::string sql = std::string("SELECT ") + kQueueItemColumns + " FROM message_queue WHERE state = 'failed'";
  if (world_id) sql += " AND world_id = ?";
  sql += " ORDER BY COALESCE(finished_at, created_at) DESC, rowid DESC LIMIT ?";
  return query(sql, world_id, limit);
}

Result<std::vector<std::pair<std::string, std::int64_t>>> QueueStore::counts_by_state() {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const char* state : kQueueStates) {
    auto stmt = db_.prepare("SELECT COUNT(*) FROM message_queue WHERE state = ?");
    if (!stmt) return stmt.status();
    stmt->bind_all(state);
    auto n = stmt->single_integer();
    if (!n) return n.status();
    out.emplace_back(state, n.value());
  }
  return out;
}

Result<WorldQueueCounts> QueueStore::world_counts(std::string_view world_id) {
  auto stmt = db_.prepare(
      "SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'processing'), 0), "
      "COALESCE(SUM(state = 'failed'), 0), MIN(CASE WHEN state = 'pending' THEN created_at END) "
      "FROM message_queue WHERE world_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id);
  auto row = stmt->step();
  if (!row) return row.status();
  WorldQueueCounts c;
  c.world_id = std::string(world_id);
  c.pending = stmt->integer(0);
  c.processing = stmt->integer(1);
  c.failed = stmt->integer(2);
  c.oldest_pending_at = stmt->optional_text(3);
  return c;
}

Result<std::int64_t> QueueStore::delete_world(std::string_view world_id) {
  auto stmt = db_.prepare("DELETE FROM message_queue WHERE world_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id);
  Status s = stmt->run();
  if (!s) return s;
  return db_.changes();
}

Result<std::vector<std::string>> QueueStore::worlds_with(const std::optional<std::string>& message_id,
                                                         const std::optional<std::string>& state) {
  std::string sql = "SELECT DISTINCT world_id FROM message_queue WHERE 1 = 1";
  if (message_id) sql += " AND message_id = ?";
  if (state) sql += " AND state = ?";
  sql += " ORDER BY world_id";
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.status();
  int next = 1;
  if (message_id) stmt->bind(next++, *message_id);
  if (state) stmt->bind(next, *state);
  std::vector<std::string> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!row.value()) break;
    out.push_back(stmt->text(0));
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> QueueStore::purge_failed(
    const std::optional<std::string>& world_id, const std::optional<std::string>& message_id) {
  std::string where = " FROM message_queue WHERE state = 'failed'";
  if (world_id) where += " AND world_id = ?";
  if (message_id) where += " AND message_id = ?";
  auto bind = [&](Statement& stmt) {
    int next = 1;
    if (world_id) stmt.bind(next++, *world_id);
    if (message_id) stmt.bind(next, *message_id);
  };
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.status();
  std::vector<std::pair<std::string, std::string>> purged;
  {
    auto select = db_.prepare("SELECT world_id, message_id" + where + " ORDER BY world_id, created_at, rowid");
    if (!select) return select.status();
    bind(*select);
    while (true) {
      auto row = select->step();
      if (!row) return row.status();
      if (!row.value()) break;
      purged.emplace_back(select->text(0), select->text(1));
    }
  }
  {
    auto del = db_.prepare("DELETE" + where);
    if (!del) return del.status();
    bind(*del);
    if (Status s = del->run(); !s) return s;
  }
  if (Status s = tx->commit(); !s) return s;
  return purged;
}

}  // namespace aw::gateway::storage
