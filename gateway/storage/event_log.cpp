// The per-world event log (see event_log.h).
#include "gateway/storage/event_log.h"

namespace aw::gateway::storage {
namespace {

constexpr const char* kColumns =
    "world_id, seq, chat_id, frame_type, event_type, message_id, run_id, attempt, superseded, payload, ts_ms";

// A chat subscription sees its chat's frames and the chat-less ones (crud); a world-wide one sees everything.
constexpr const char* kChatFilter = " AND (chat_id IS NULL OR chat_id = ?)";

Result<std::vector<EventRecord>> read_all(Statement& stmt) {
  std::vector<EventRecord> out;
  while (true) {
    auto row = stmt.step();
    if (!row) return row.status();
    if (!row.value()) break;
    EventRecord e;
    e.world_id = stmt.text(0);
    e.seq = static_cast<Seq>(stmt.integer(1));
    e.chat_id = stmt.optional_text(2);
    e.frame_type = stmt.text(3);
    e.event_type = stmt.text(4);
    e.message_id = stmt.optional_text(5);
    e.run_id = stmt.optional_text(6);
    e.attempt = stmt.optional_integer(7);
    e.superseded = stmt.integer(8) != 0;
    e.payload = stmt.text(9);
    e.ts_ms = stmt.integer(10);
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::int64_t> delete_where(Database& db, const char* sql, std::string_view a, std::string_view b = {}) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.status();
  stmt->bind(1, a);
  if (!b.empty()) stmt->bind(2, b);
  Status s = stmt->run();
  if (!s) return s;
  return db.changes();
}

}  // namespace

Status EventLog::open_log(std::string_view world_id, std::string_view epoch) {
  auto stmt = db_.prepare(
      "INSERT INTO event_logs (world_id, epoch, last_seq, pruned_through) VALUES (?, ?, 0, 0) "
      "ON CONFLICT (world_id) DO UPDATE SET epoch = excluded.epoch");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, epoch);
  return stmt->run();
}

Result<std::optional<EventLogState>> EventLog::state(std::string_view world_id) {
  auto stmt = db_.prepare("SELECT epoch, last_seq, pruned_through FROM event_logs WHERE world_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!row.value()) return std::optional<EventLogState>();
  EventLogState s;
  s.epoch = stmt->text(0);
  s.last_seq = static_cast<Seq>(stmt->integer(1));
  s.pruned_through = static_cast<Seq>(stmt->integer(2));
  return std::optional<EventLogState>(std::move(s));
}

Result<EventRecord> EventLog::append(const NewEvent& event) {
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.status();
  // Read, then write the next seq: the transaction (or savepoint) above makes the pair atomic. Not one UPDATE ...
  // RETURNING: SQLite collects RETURNING rows in an ephemeral table, which cost more than the UPDATE itself here.
  Seq seq = 0;
  {
    auto last = db_.prepare("SELECT last_seq FROM event_logs WHERE world_id = ?");
    if (!last) return last.status();
    last->bind_all(event.world_id);
    auto row = last->step();
    if (!row) return row.status();
    if (!row.value()) return Status::internal("world '" + event.world_id + "' has no event log");
    seq = static_cast<Seq>(last->integer(0)) + 1;
  }
  {
    auto take = db_.prepare("UPDATE event_logs SET last_seq = ? WHERE world_id = ?");
    if (!take) return take.status();
    take->bind_all(seq, event.world_id);
    Status done = take->run();
    if (!done) return done;
  }
  auto insert =
      db_.prepare(std::string("INSERT INTO events (") + kColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)");
  if (!insert) return insert.status();
  insert->bind_all(event.world_id, seq, event.chat_id, event.frame_type, event.event_type, event.message_id,
                   event.run_id, event.attempt, event.payload, event.ts_ms);
  Status s = insert->run();
  if (!s) return s;
  s = tx->commit();
  if (!s) return s;

  EventRecord record;
  record.world_id = event.world_id;
  record.seq = seq;
  record.chat_id = event.chat_id;
  record.frame_type = event.frame_type;
  record.event_type = event.event_type;
  record.message_id = event.message_id;
  record.run_id = event.run_id;
  record.attempt = event.attempt;
  record.payload = event.payload;
  record.ts_ms = event.ts_ms;
  return record;
}

Result<std::int64_t> EventLog::mark_superseded(std::string_view world_id, std::string_view run_id,
                                               std::int64_t attempt) {
  auto stmt = db_.prepare("UPDATE events SET superseded = 1 WHERE world_id = ? AND run_id = ? AND attempt = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, run_id, attempt);
  Status s = stmt->run();
  if (!s) return s;
  return db_.changes();
}

Result<std::int64_t> EventLog::delete_chat_events(std::string_view world_id, std::string_view chat_id) {
  return delete_where(db_, "DELETE FROM events WHERE world_id = ? AND chat_id = ?", world_id, chat_id);
}

Result<std::int64_t> EventLog::delete_world_events(std::string_view world_id) {
  return delete_where(db_, "DELETE FROM events WHERE world_id = ?", world_id);
}

Status EventLog::prune_through(std::string_view world_id, Seq through_seq) {
  auto tx = Transaction::begin(db_);
  if (!tx) return tx.status();
  auto del = db_.prepare("DELETE FROM events WHERE world_id = ? AND seq <= ?");
  if (!del) return del.status();
  del->bind_all(world_id, through_seq);
  Status s = del->run();
  if (!s) return s;
  auto mark = db_.prepare("UPDATE event_logs SET pruned_through = MAX(pruned_through, ?) WHERE world_id = ?");
  if (!mark) return mark.status();
  mark->bind_all(through_seq, world_id);
  s = mark->run();
  if (!s) return s;
  return tx->commit();
}

Result<std::vector<EventRecord>> EventLog::range(const EventFilter& filter, Seq after, Seq upto, std::int64_t limit) {
  std::string sql =
      std::string("SELECT ") + kColumns + " FROM events WHERE world_id = ? AND seq > ? AND seq <= ? AND superseded = 0";
  if (filter.chat_id) sql += kChatFilter;
  sql += " ORDER BY seq LIMIT ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.status();
  stmt->bind_all(filter.world_id, after, upto);
  int next = 4;
  if (filter.chat_id) stmt->bind(next++, *filter.chat_id);
  stmt->bind(next, limit);
  return read_all(*stmt);
}

Result<std::int64_t> EventLog::count_range(const EventFilter& filter, Seq after, Seq upto) {
  std::string sql = "SELECT COUNT(*) FROM events WHERE world_id = ? AND seq > ? AND seq <= ? AND superseded = 0";
  if (filter.chat_id) sql += kChatFilter;
  auto stmt = db_.prepare(sql);
  if (!stmt) return stmt.status();
  stmt->bind_all(filter.world_id, after, upto);
  if (filter.chat_id) stmt->bind(4, *filter.chat_id);
  return stmt->single_integer();
}

Result<std::vector<EventRecord>> EventLog::chat_events(std::string_view world_id, std::string_view chat_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kColumns +
                          " FROM events WHERE world_id = ? AND chat_id = ? AND frame_type = 'event' "
                          "AND superseded = 0 ORDER BY seq");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, chat_id);
  return read_all(*stmt);
}

}  // namespace aw::gateway::storage
