// WorldStore: rows of the `worlds` table and the counts derived from other tables (agent-runtime.md §2.1, §14).
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

struct WorldRecord {
  std::string id;
  std::string name;
  std::optional<std::string> description;
  std::int64_t turn_limit = 5;
  std::optional<std::string> chat_llm_provider;
  std::optional<std::string> chat_llm_model;
  std::optional<std::string> current_chat_id;
  std::optional<std::string> mcp_config;  // stored unredacted
  std::int64_t last_activity_id = 0;
  std::int64_t last_rev = 0;
  std::string created_at;  // ISO-8601
  std::string updated_at;
};

// Derived fields of a World result object.
struct WorldCounts {
  std::int64_t total_agents = 0;
  std::int64_t total_messages = 0;
  std::int64_t chat_count = 0;
  bool is_processing = false;
};

struct WorldSummaryRecord {
  WorldRecord world;
  WorldCounts counts;
};

class WorldStore {
 public:
  explicit WorldStore(Database& db) : db_(db) {}

  Result<std::optional<WorldRecord>> find(std::string_view id);
  // Every world, by creation time (then id).
  Result<std::vector<WorldRecord>> list();
  // Every world with its counts, in list() order, read by one statement (list-worlds).
  Result<std::vector<WorldSummaryRecord>> list_with_counts();
  Result<std::int64_t> count();

  // Fails with code "constraint" when the id exists.
  Status insert(const WorldRecord& world);
  // Writes every column but id, created_at, last_activity_id and last_rev.
  Status update(const WorldRecord& world);
  Status set_current_chat(std::string_view id, std::string_view chat_id, std::string_view updated_at);
  // Deletes the world; agents, chats, conversations, memory and events go with it (FK cascade). False if absent.
  Result<bool> remove(std::string_view id);
  // Takes the world's next revision (last_rev + 1), for an agent's `rev` (agent-runtime.md §14).
  Result<std::int64_t> next_rev(std::string_view id);

  Result<WorldCounts> counts(std::string_view id);

 private:
  Database& db_;
};

}  // namespace aw::gateway::storage
