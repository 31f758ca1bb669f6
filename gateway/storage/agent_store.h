// AgentStore: rows of the `agents` table (agent-runtime.md §2.2, §14). Agents list in creation order (`position`).
// Updates are UPSERTs, never delete-and-insert, so memory rows (FK CASCADE) survive an update.
// Thread-safety: loop thread only (borrows the caller's Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "gateway/storage/database.h"

namespace aw::gateway::storage {

struct AgentRecord {
  std::string world_id;
  std::string id;
  std::string name;
  std::string type = "default";
  std::string status = "inactive";  // active | inactive | error
  std::string provider;
  std::string model;
  std::optional<std::string> system_prompt;
  std::optional<double> temperature;
  std::optional<std::int64_t> max_tokens;
  std::int64_t llm_call_count = 0;
  std::optional<std::string> last_llm_call;
  std::string created_at;
  std::string last_active;
  std::int64_t position = 0;  // creation order within the world
  std::int64_t rev = 0;       // the world's last_rev when last created/updated/cleared
};

class AgentStore {
 public:
  explicit AgentStore(Database& db) : db_(db) {}

  Result<std::optional<AgentRecord>> find(std::string_view world_id, std::string_view id);
  // The world's agents in creation order.
  Result<std::vector<AgentRecord>> list(std::string_view world_id);
  // The position a new agent of the world gets (1 + the highest so far).
  Result<std::int64_t> next_position(std::string_view world_id);
  // Inserts the agent or updates every column of the existing (world_id, id) row.
  Status upsert(const AgentRecord& agent);
  // False if there was no such agent. Its memory goes with it (FK cascade).
  Result<bool> remove(std::string_view world_id, std::string_view id);

 private:
  Database& db_;
};

}  // namespace aw::gateway::storage
