// The `agent_memory` table (see memory_store.h).
#include "gateway/storage/memory_store.h"

#include <algorithm>

namespace aw::gateway::storage {

Result<bool> MemoryStore::insert(const MemoryRecord& r) {
  auto stmt = db_.prepare(
      "INSERT OR IGNORE INTO agent_memory (world_id, agent_id, chat_id, role, content, sender, message_id, "
      "reply_to_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return stmt.status();
  stmt->bind_all(r.world_id, r.agent_id, r.chat_id, r.role, r.content, r.sender, r.message_id, r.reply_to_message_id,
                 r.created_at);
  Status s = stmt->run();
  if (!s) return s;
  return db_.changes() > 0;
}

Result<std::vector<MemoryRecord>> MemoryStore::recent(std::string_view world_id, std::string_view agent_id,
                                                      std::int64_t limit) {
  auto stmt = db_.prepare(
      "SELECT id, world_id, agent_id, chat_id, role, content, sender, message_id, reply_to_message_id, created_at "
      "FROM agent_memory WHERE world_id = ? AND agent_id = ? ORDER BY id DESC LIMIT ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, agent_id, limit);
  std::vector<MemoryRecord> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!row.value()) break;
    MemoryRecord r;
    r.row_id = stmt->integer(0);
    r.world_id = stmt->text(1);
    r.agent_id = stmt->text(2);
    r.chat_id = stmt->text(3);
    r.role = stmt->text(4);
    r.content = stmt->text(5);
    r.sender = stmt->optional_text(6);
    r.message_id = stmt->text(7);
    r.reply_to_message_id = stmt->optional_text(8);
    r.created_at = stmt->text(9);
    out.push_back(std::move(r));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Result<std::int64_t> MemoryStore::count(std::string_view world_id, std::string_view agent_id) {
  auto stmt = db_.prepare("SELECT COUNT(*) FROM agent_memory WHERE world_id = ? AND agent_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, agent_id);
  return stmt->single_integer();
}

Result<std::int64_t> MemoryStore::clear(std::string_view world_id, std::string_view agent_id,
                                        const std::optional<std::string>& chat_id) {
  auto stmt = chat_id ? db_.prepare("DELETE FROM agent_memory WHERE world_id = ? AND agent_id = ? AND chat_id = ?")
                      : db_.prepare("DELETE FROM agent_memory WHERE world_id = ? AND agent_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, agent_id);
  if (chat_id) stmt->bind(3, *chat_id);
  Status s = stmt->run();
  if (!s) return s;
  return db_.changes();
}

}  // namespace aw::gateway::storage
