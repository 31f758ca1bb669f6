// The schema of agent-runtime.md §14, as migrations (see schema_migrations.h).
#include "gateway/storage/schema_migrations.h"

#include "common/time_util.h"

namespace aw::gateway::storage {
namespace {

// Version 1: the markers, worlds and their content (agents, chats, the conversation, agent memory).
constexpr const char* kCoreSchema = R"sql(
CREATE TABLE aw_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE aw_schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
);
INSERT INTO aw_meta (key, value) VALUES ('app', 'agent-world-cpp');

CREATE TABLE worlds (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  turn_limit INTEGER NOT NULL DEFAULT 5 CHECK (turn_limit >= 1),
  chat_llm_provider TEXT,
  chat_llm_model TEXT,
  current_chat_id TEXT,
  mcp_config TEXT,
  last_activity_id INTEGER NOT NULL DEFAULT 0,
  last_rev INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE agents (
  world_id TEXT NOT NULL REFERENCES worlds (id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL DEFAULT 'default',
  status TEXT NOT NULL DEFAULT 'inactive' CHECK (status IN ('active', 'inactive', 'error')),
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  system_prompt TEXT,
  temperature REAL CHECK (temperature IS NULL OR (temperature >= 0 AND temperature <= 2)),
  max_tokens INTEGER CHECK (max_tokens IS NULL OR max_tokens >= 1),
  llm_call_count INTEGER NOT NULL DEFAULT 0 CHECK (llm_call_count >= 0),
  last_llm_call TEXT,
  created_at TEXT NOT NULL,
  last_active TEXT NOT NULL,
  position INTEGER NOT NULL,
  rev INTEGER NOT NULL,
  PRIMARY KEY (world_id, id)
);

CREATE TABLE chats (
  id TEXT PRIMARY KEY,
  world_id TEXT NOT NULL REFERENCES worlds (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX chats_world_updated ON chats (world_id, updated_at);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  world_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  sender TEXT NOT NULL,
  content TEXT NOT NULL,
  reply_to_message_id TEXT,
  run_id TEXT,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (world_id, message_id)
);
CREATE INDEX messages_chat_seq ON messages (world_id, chat_id, seq, id);

CREATE TABLE agent_memory (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  world_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
  content TEXT NOT NULL,
  sender TEXT,
  message_id TEXT NOT NULL,
  reply_to_message_id TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (world_id, agent_id, chat_id, message_id),
  FOREIGN KEY (world_id, agent_id) REFERENCES agents (world_id, id) ON DELETE CASCADE
);
)sql";

// Version 2: the per-world event log (seq, epoch, tombstones) and the durable message queue.
constexpr const char* kEventLogAndQueue = R"sql(
CREATE TABLE event_logs (
  world_id TEXT PRIMARY KEY,
  epoch TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0,
  pruned_through INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE events (
  world_id TEXT NOT NULL REFERENCES worlds (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  chat_id TEXT,
  frame_type TEXT NOT NULL CHECK (frame_type IN ('event', 'crud')),
  event_type TEXT NOT NULL,
  message_id TEXT,
  run_id TEXT,
  attempt INTEGER,
  superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1)),
  payload TEXT NOT NULL,
  ts_ms INTEGER NOT NULL,
  PRIMARY KEY (world_id, seq)
);
CREATE INDEX events_chat_seq ON events (world_id, chat_id, seq);
CREATE INDEX events_chat_type_seq ON events (world_id, chat_id, event_type, seq);
CREATE INDEX events_run ON events (world_id, run_id, attempt);

CREATE TABLE message_queue (
  world_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  chat_id TEXT,
  content TEXT NOT NULL,
  sender TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL CHECK (state IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  attempt INTEGER NOT NULL DEFAULT 0,
  max_attempt INTEGER NOT NULL,
  error TEXT,
  error_code TEXT,
  lease_owner TEXT,
  next_attempt_at INTEGER,
  trigger_published INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  PRIMARY KEY (world_id, message_id)
);
CREATE INDEX message_queue_state ON message_queue (state, world_id, priority DESC, created_at);
)sql";

// Version 3: the work builder reads a chat's memory rows newest first for every dispatch, and deleting a chat
// cascades into agent_memory by chat_id; without this index both scan the whole table.
constexpr const char* kMemoryByChat = R"sql(
CREATE INDEX agent_memory_chat ON agent_memory (world_id, chat_id, id);
)sql";

Result<bool> has_table(Database& db, const char* name) {
  auto stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(name);
  return stmt->step();
}

// Whether the file holds a database of ours; an empty file is ours to create.
Status check_ownership(Database& db) {
  auto any = db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  if (!any) return any.status();
  auto row = any->step();
  if (!row) return row.status();
  if (any->integer(0) == 0) return Status::ok();

  auto meta = has_table(db, "aw_meta");
  if (!meta) return meta.status();
  bool marked = false;
  if (meta.value()) {
    auto stmt = db.prepare("SELECT value FROM aw_meta WHERE key = 'app'");
    if (!stmt) return stmt.status();
    auto found = stmt->step();
    if (!found) return found.status();
    marked = found.value() && stmt->text(0) == kAppMarker;
  }
  if (marked) return Status::ok();
  return Status::error("foreign_database",
                       "database " + db.path() +
                           " was not created by agent-world-cpp (no aw_meta 'app' row); "
                           "refusing to open it. Point AGENT_WORLD_SQLITE_DATABASE at another file");
}

Status apply(Database& db, const Migration& migration) {
  auto tx = Transaction::begin(db);
  if (!tx) return tx.status();
  Status s = db.exec(migration.sql);
  if (!s) {
    return Status::internal("migration " + std::to_string(migration.version) + " (" + migration.name + ") failed on " +
                            db.path() + ": " + s.message());
  }
  auto record = db.prepare("INSERT INTO aw_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  if (!record) return record.status();
  record->bind_all(std::int64_t{migration.version}, migration.name, iso8601_ms(now_ms()));
  s = record->run();
  if (!s) return s;
  return tx->commit();
}

}  // namespace

const std::vector<Migration>& all_migrations() {
  static const std::vector<Migration> migrations = {
      {1, "core", kCoreSchema},
      {2, "event_log_and_queue", kEventLogAndQueue},
      {3, "memory_by_chat", kMemoryByChat},
  };
  return migrations;
}

int latest_schema_version() { return all_migrations().back().version; }

Result<int> schema_version(Database& db) {
  auto exists = has_table(db, "aw_schema_migrations");
  if (!exists) return exists.status();
  if (!exists.value()) return 0;
  auto stmt = db.prepare("SELECT COALESCE(MAX(version), 0) FROM aw_schema_migrations");
  if (!stmt) return stmt.status();
  auto row = stmt->step();
  if (!row) return row.status();
  return static_cast<int>(stmt->integer(0));
}

Status migrate(Database& db, int target_version) {
  if (target_version < 0) target_version = latest_schema_version();
  Status s = check_ownership(db);
  if (!s) return s;
  auto current = schema_version(db);
  if (!current) return current.status();
  if (current.value() > latest_schema_version()) {
    return Status::error("schema_too_new", "database " + db.path() + " has schema version " +
                                               std::to_string(current.value()) + "; this program knows up to " +
                                               std::to_string(latest_schema_version()));
  }
  for (const Migration& migration : all_migrations()) {
    if (migration.version <= current.value() || migration.version > target_version) continue;
    s = apply(db, migration);
    if (!s) return s;
  }
  return Status::ok();
}

}  // namespace aw::gateway::storage
