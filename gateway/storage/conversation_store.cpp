// The `messages` table (see conversation_store.h).
#include "gateway/storage/conversation_store.h"

#include <algorithm>
#include <limits>

namespace aw::gateway::storage {
namespace {

constexpr const char* kColumns =
    "id, world_id, message_id, chat_id, seq, sender, content, reply_to_message_id, run_id, payload, created_at";

Result<std::vector<ConversationMessage>> read_all(Statement& stmt) {
  std::vector<ConversationMessage> out;
  while (true) {
    auto row = stmt.step();
    if (!row) return row.status();
    if (!row.value()) break;
    ConversationMessage m;
    m.row_id = stmt.integer(0);
    m.world_id = stmt.text(1);
    m.message_id = stmt.text(2);
    m.chat_id = stmt.text(3);
    m.seq = stmt.integer(4);
    m.sender = stmt.text(5);
    m.content = stmt.text(6);
    m.reply_to_message_id = stmt.optional_text(7);
    m.run_id = stmt.optional_text(8);
    m.payload = stmt.text(9);
    m.created_at = stmt.text(10);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

Result<bool> ConversationStore::insert(const ConversationMessage& m) {
  auto stmt = db_.prepare(
      "INSERT OR IGNORE INTO messages (world_id, message_id, chat_id, seq, sender, content, reply_to_message_id, "
      "run_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.status();
  stmt->bind_all(m.world_id, m.message_id, m.chat_id, m.seq, m.sender, m.content, m.reply_to_message_id, m.run_id,
                 m.payload, m.created_at);
  Status s = stmt->run();
  if (!s) return s;
  return db_.changes() > 0;
}

Result<std::vector<ConversationMessage>> ConversationStore::list(std::string_view world_id, std::string_view chat_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kColumns +
                          " FROM messages WHERE world_id = ? AND chat_id = ? ORDER BY seq, id");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, chat_id);
  return read_all(*stmt);
}

Result<ConversationPage> ConversationStore::page(std::string_view world_id, std::string_view chat_id,
                                                 std::optional<std::int64_t> before_seq, std::int64_t limit) {
  const std::int64_t before = before_seq.value_or(std::numeric_limits<std::int64_t>::max());
  // The newest `limit` rows decide the lowest seq of the page; then every row with seq in [lowest, before) is
  // taken, so rows that share a seq are never split across pages.
  auto newest = db_.prepare(
      "SELECT seq FROM messages WHERE world_id = ? AND chat_id = ? AND seq < ? ORDER BY seq DESC, id DESC LIMIT ?");
  if (!newest) return newest.status();
  newest->bind_all(world_id, chat_id, before, limit);
  std::optional<std::int64_t> lowest;
  while (true) {
    auto row = newest->step();
    if (!row) return row.status();
    if (!row.value()) break;
    lowest = newest->integer(0);
  }
  ConversationPage page;
  if (!lowest) return page;

  auto stmt =
      db_.prepare(std::string("SELECT ") + kColumns +
                  " FROM messages WHERE world_id = ? AND chat_id = ? AND seq >= ? AND seq < ? ORDER BY seq, id");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, chat_id, *lowest, before);
  auto rows = read_all(*stmt);
  if (!rows) return rows.status();
  page.messages = std::move(rows.value());

  auto more = db_.prepare("SELECT EXISTS (SELECT 1 FROM messages WHERE world_id = ? AND chat_id = ? AND seq < ?)");
  if (!more) return more.status();
  more->bind_all(world_id, chat_id, *lowest);
  auto row = more->step();
  if (!row) return row.status();
  page.has_more = more->integer(0) != 0;
  return page;
}

Result<std::int64_t> ConversationStore::count_in_chat(std::string_view world_id, std::string_view chat_id) {
  auto stmt = db_.prepare("SELECT COUNT(*) FROM messages WHERE world_id = ? AND chat_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, chat_id);
  return stmt->single_integer();
}

}  // namespace aw::gateway::storage
