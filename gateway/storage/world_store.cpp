// The `worlds` table (see world_store.h).
#include "gateway/storage/world_store.h"

namespace aw::gateway::storage {
namespace {

// The SQL texts are static: Database::prepare finds them in its cache without building or copying a string.
#define AW_WORLD_COLUMNS                                                                                \
  "id, name, description, turn_limit, chat_llm_provider, chat_llm_model, current_chat_id, mcp_config, " \
  "last_activity_id, last_rev, created_at, updated_at"

constexpr std::string_view kFindSql = "SELECT " AW_WORLD_COLUMNS " FROM worlds WHERE id = ?";
constexpr std::string_view kListSql = "SELECT " AW_WORLD_COLUMNS " FROM worlds ORDER BY created_at, rowid";
constexpr std::string_view kInsertSql =
    "INSERT INTO worlds (" AW_WORLD_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// Every world with its counts in one statement, hence one read transaction (list-worlds). Each COUNT is an index
// range: agents by its primary key (world_id, id), chats by chats_world_updated, messages by messages_chat_seq.
constexpr std::string_view kListWithCountsSql =
    "SELECT " AW_WORLD_COLUMNS
    ", (SELECT COUNT(*) FROM agents a WHERE a.world_id = w.id),"
    " (SELECT COUNT(*) FROM messages m WHERE m.world_id = w.id),"
    " (SELECT COUNT(*) FROM chats c WHERE c.world_id = w.id),"
    " EXISTS (SELECT 1 FROM message_queue q WHERE q.world_id = w.id AND q.state = 'processing')"
    " FROM worlds w ORDER BY w.created_at, w.rowid";
constexpr std::string_view kCountsSql =
    "SELECT (SELECT COUNT(*) FROM agents WHERE world_id = ?1),"
    " (SELECT COUNT(*) FROM messages WHERE world_id = ?1),"
    " (SELECT COUNT(*) FROM chats WHERE world_id = ?1),"
    " EXISTS (SELECT 1 FROM message_queue WHERE world_id = ?1 AND state = 'processing')";
#undef AW_WORLD_COLUMNS
constexpr int kCountsColumn = 12;  // the first count column of kListWithCountsSql

WorldRecord read_world(const Statement& row) {
  WorldRecord w;
  w.id = row.text(0);
  w.name = row.text(1);
  w.description = row.optional_text(2);
  w.turn_limit = row.integer(3);
  w.chat_llm_provider = row.optional_text(4);
  w.chat_llm_model = row.optional_text(5);
  w.current_chat_id = row.optional_text(6);
  w.mcp_config = row.optional_text(7);
  w.last_activity_id = row.integer(8);
  w.last_rev = row.integer(9);
  w.created_at = row.text(10);
  w.updated_at = row.text(11);
  return w;
}

WorldCounts read_counts(const Statement& row, int first) {
  WorldCounts c;
  c.total_agents = row.integer(first);
  c.total_messages = row.integer(first + 1);
  c.chat_count = row.integer(first + 2);
  c.is_processing = row.integer(first + 3) != 0;
  return c;
}

}  // namespace

Result<std::optional<WorldRecord>> WorldStore::find(std::string_view id) {
  auto stmt = db_.prepare(kFindSql);
  if (!stmt) return stmt.status();
  stmt->bind_all(id);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!row.value()) return std::optional<WorldRecord>();
  return std::optional<WorldRecord>(read_world(*stmt));
}

Result<std::vector<WorldRecord>> WorldStore::list() {
  auto stmt = db_.prepare(kListSql);
  if (!stmt) return stmt.status();
  std::vector<WorldRecord> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!row.value()) break;
    out.push_back(read_world(*stmt));
  }
  return out;
}

Result<std::vector<WorldSummaryRecord>> WorldStore::list_with_counts() {
  auto stmt = db_.prepare(kListWithCountsSql);
  if (!stmt) return stmt.status();
  std::vector<WorldSummaryRecord> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!row.value()) break;
    out.push_back(WorldSummaryRecord{read_world(*stmt), read_counts(*stmt, kCountsColumn)});
  }
  return out;
}

Result<std::int64_t> WorldStore::count() {
  auto stmt = db_.prepare("SELECT COUNT(*) FROM worlds");
  if (!stmt) return stmt.status();
  return stmt->single_integer();
}

Status WorldStore::insert(const WorldRecord& w) {
  auto stmt = db_.prepare(kInsertSql);
  if (!stmt) return stmt.status();
  stmt->bind_all(w.id, w.name, w.description, w.turn_limit, w.chat_llm_provider, w.chat_llm_model, w.current_chat_id,
                 w.mcp_config, w.last_activity_id, w.last_rev, w.created_at, w.updated_at);
  return stmt->run();
}

Status WorldStore::update(const WorldRecord& w) {
  auto stmt = db_.prepare(
      "UPDATE worlds SET name = ?, description = ?, turn_limit = ?, chat_llm_provider = ?, chat_llm_model = ?, "
      "current_chat_id = ?, mcp_config = ?, updated_at = ? WHERE id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(w.name, w.description, w.turn_limit, w.chat_llm_provider, w.chat_llm_model, w.current_chat_id,
                 w.mcp_config, w.updated_at, w.id);
  return stmt->run();
}

Status WorldStore::set_current_chat(std::string_view id, std::string_view chat_id, std::string_view updated_at) {
  auto stmt = db_.prepare("UPDATE worlds SET current_chat_id = ?, updated_at = ? WHERE id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(chat_id, updated_at, id);
  return stmt->run();
}

Result<bool> WorldStore::remove(std::string_view id) {
  auto stmt = db_.prepare("DELETE FROM worlds WHERE id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(id);
  Status s = stmt->run();
  if (!s) return s;
  return db_.changes() > 0;
}

Result<std::int64_t> WorldStore::next_rev(std::string_view id) {
  auto stmt = db_.prepare("UPDATE worlds SET last_rev = last_rev + 1 WHERE id = ? RETURNING last_rev");
  if (!stmt) return stmt.status();
  stmt->bind_all(id);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!row.value()) return Status::error("world_not_found", "World '" + std::string(id) + "' not found");
  std::int64_t rev = stmt->integer(0);
  Status s = stmt->run();  // finish the statement so the UPDATE completes
  if (!s) return s;
  return rev;
}

Result<WorldCounts> WorldStore::counts(std::string_view id) {
  auto stmt = db_.prepare(kCountsSql);
  if (!stmt) return stmt.status();
  stmt->bind_all(id);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!row.value()) return WorldCounts{};
  return read_counts(*stmt, 0);
}

}  // namespace aw::gateway::storage
