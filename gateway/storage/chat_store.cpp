// The `chats` table (see chat_store.h).
#include "gateway/storage/chat_store.h"

namespace aw::gateway::storage {
namespace {

// messageCount comes from the conversation (agent-runtime.md §14), counted with the chat.
constexpr const char* kSelect =
    "SELECT c.id, c.world_id, c.name, c.description, c.created_at, c.updated_at, "
    "(SELECT COUNT(*) FROM messages m WHERE m.world_id = c.world_id AND m.chat_id = c.id) "
    "FROM chats c WHERE c.world_id = ? ";

// Most recently updated first; ties broken by creation, then insertion, so the choice is deterministic.
constexpr const char* kRecentFirst = " ORDER BY c.updated_at DESC, c.created_at DESC, c.rowid DESC";

// Columns 0-5 of kSelect (and of find_uncounted's statement): everything but the message count.
ChatRecord read_chat(const Statement& stmt) {
  ChatRecord c;
  c.id = stmt.text(0);
  c.world_id = stmt.text(1);
  c.name = stmt.text(2);
  c.description = stmt.optional_text(3);
  c.created_at = stmt.text(4);
  c.updated_at = stmt.text(5);
  return c;
}

}  // namespace

Result<std::vector<ChatRecord>> ChatStore::query(const std::string& where_and_order, std::string_view world_id,
                                                 std::optional<std::string_view> id) {
  auto stmt = db_.prepare(kSelect + where_and_order);
  if (!stmt) return stmt.status();
  stmt->bind(1, world_id);
  if (id) stmt->bind(2, *id);
  std::vector<ChatRecord> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!row.value()) break;
    ChatRecord c = read_chat(*stmt);
    c.message_count = stmt->integer(6);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<ChatRecord>> ChatStore::find(std::string_view world_id, std::string_view id) {
  auto rows = query("AND c.id = ?", world_id, id);
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<ChatRecord>();
  return std::optional<ChatRecord>(std::move(rows->front()));
}

Result<std::optional<ChatRecord>> ChatStore::find_uncounted(std::string_view world_id, std::string_view id) {
  auto stmt = db_.prepare(
      "SELECT id, world_id, name, description, created_at, updated_at FROM chats WHERE world_id = ? AND id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, id);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!row.value()) return std::optional<ChatRecord>();
  return std::optional<ChatRecord>(read_chat(*stmt));
}

Result<std::vector<ChatRecord>> ChatStore::list(std::string_view world_id) {
  return query(kRecentFirst, world_id, std::nullopt);
}

Result<std::optional<ChatRecord>> ChatStore::most_recently_updated(std::string_view world_id) {
  auto rows = query(std::string(kRecentFirst) + " LIMIT 1", world_id, std::nullopt);
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<ChatRecord>();
  return std::optional<ChatRecord>(std::move(rows->front()));
}

Result<std::optional<ChatRecord>> ChatStore::find_reusable_new_chat(std::string_view world_id) {
  auto rows = query(std::string("AND c.name = '") + kNewChatName +
                        "' AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.world_id = c.world_id AND m.chat_id = c.id)"
                        " AND NOT EXISTS (SELECT 1 FROM message_queue q WHERE q.world_id = c.world_id"
                        " AND q.chat_id = c.id AND q.state IN ('pending', 'processing'))" +
                        kRecentFirst + " LIMIT 1",
                    world_id, std::nullopt);
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<ChatRecord>();
  return std::optional<ChatRecord>(std::move(rows->front()));
}

Status ChatStore::insert(const ChatRecord& c) {
  auto stmt = db_.prepare(
      "INSERT INTO chats (id, world_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.status();
  stmt->bind_all(c.id, c.world_id, c.name, c.description, c.created_at, c.updated_at);
  return stmt->run();
}

Status ChatStore::update(const ChatRecord& c) {
  auto stmt = db_.prepare("UPDATE chats SET name = ?, description = ?, updated_at = ? WHERE world_id = ? AND id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(c.name, c.description, c.updated_at, c.world_id, c.id);
  return stmt->run();
}

Result<bool> ChatStore::remove(std::string_view world_id, std::string_view id) {
  auto stmt = db_.prepare("DELETE FROM chats WHERE world_id = ? AND id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, id);
  Status s = stmt->run();
  if (!s) return s;
  return db_.changes() > 0;
}

}  // namespace aw::gateway::storage
