// The `agents` table (see agent_store.h).
#include "gateway/storage/agent_store.h"

namespace aw::gateway::storage {
namespace {

constexpr const char* kColumns =
    "world_id, id, name, type, status, provider, model, system_prompt, temperature, max_tokens, llm_call_count, "
    "last_llm_call, created_at, last_active, position, rev";

AgentRecord read_agent(const Statement& row) {
  AgentRecord a;
  a.world_id = row.text(0);
  a.id = row.text(1);
  a.name = row.text(2);
  a.type = row.text(3);
  a.status = row.text(4);
  a.provider = row.text(5);
  a.model = row.text(6);
  a.system_prompt = row.optional_text(7);
  a.temperature = row.optional_real(8);
  a.max_tokens = row.optional_integer(9);
  a.llm_call_count = row.integer(10);
  a.last_llm_call = row.optional_text(11);
  a.created_at = row.text(12);
  a.last_active = row.text(13);
  a.position = row.integer(14);
  a.rev = row.integer(15);
  return a;
}

}  // namespace

Result<std::optional<AgentRecord>> AgentStore::find(std::string_view world_id, std::string_view id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kColumns + " FROM agents WHERE world_id = ? AND id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, id);
  auto row = stmt->step();
  if (!row) return row.status();
  if (!row.value()) return std::optional<AgentRecord>();
  return std::optional<AgentRecord>(read_agent(*stmt));
}

Result<std::vector<AgentRecord>> AgentStore::list(std::string_view world_id) {
  auto stmt = db_.prepare(std::string("SELECT ") + kColumns + " FROM agents WHERE world_id = ? ORDER BY position, id");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id);
  std::vector<AgentRecord> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!row.value()) break;
    out.push_back(read_agent(*stmt));
  }
  return out;
}

Result<std::int64_t> AgentStore::next_position(std::string_view world_id) {
  auto stmt = db_.prepare("SELECT COALESCE(MAX(position), 0) + 1 FROM agents WHERE world_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id);
  return stmt->single_integer();
}

Status AgentStore::upsert(const AgentRecord& a) {
  auto stmt = db_.prepare(std::string("INSERT INTO agents (") + kColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                          "ON CONFLICT (world_id, id) DO UPDATE SET name = excluded.name, type = excluded.type, "
                          "status = excluded.status, provider = excluded.provider, model = excluded.model, "
                          "system_prompt = excluded.system_prompt, temperature = excluded.temperature, "
                          "max_tokens = excluded.max_tokens, llm_call_count = excluded.llm_call_count, "
                          "last_llm_call = excluded.last_llm_call, last_active = excluded.last_active, "
                          "rev = excluded.rev");
  if (!stmt) return stmt.status();
  stmt->bind_all(a.world_id, a.id, a.name, a.type, a.status, a.provider, a.model, a.system_prompt, a.temperature,
                 a.max_tokens, a.llm_call_count, a.last_llm_call, a.created_at, a.last_active, a.position, a.rev);
  return stmt->run();
}

Result<bool> AgentStore::remove(std::string_view world_id, std::string_view id) {
  auto stmt = db_.prepare("DELETE FROM agents WHERE world_id = ? AND id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, id);
  Status s = stmt->run();
  if (!s) return s;
  return db_.changes() > 0;
}

}  // namespace aw::gateway::storage
