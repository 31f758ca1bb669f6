// Storage: the gateway's one SQLite database, opened and migrated, with a store per table.
// Thread-safety: loop thread only. Tests that need concurrent writers open one Storage per thread on one file.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "gateway/storage/agent_store.h"
#include "gateway/storage/chat_store.h"
#include "gateway/storage/conversation_store.h"
#include "gateway/storage/database.h"
#include "gateway/storage/event_log.h"
#include "gateway/storage/memory_store.h"
#include "gateway/storage/queue_store.h"
#include "gateway/storage/world_store.h"

namespace aw::gateway::storage {

class Storage {
 public:
  // Opens the file (or the shared in-memory database) and migrates it to the latest schema. Fails as
  // Database::open and migrate() do (codes "storage_unavailable", "foreign_database", "schema_too_new", "internal").
  static Result<std::unique_ptr<Storage>> open(const std::string& path, bool in_memory);

  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  Database& db() { return *db_; }
  WorldStore& worlds() { return worlds_; }
  AgentStore& agents() { return agents_; }
  ChatStore& chats() { return chats_; }
  ConversationStore& conversation() { return conversation_; }
  MemoryStore& memory() { return memory_; }
  EventLog& events() { return events_; }
  QueueStore& queue() { return queue_; }

 private:
  explicit Storage(std::unique_ptr<Database> db);

  std::unique_ptr<Database> db_;
  WorldStore worlds_;
  AgentStore agents_;
  ChatStore chats_;
  ConversationStore conversation_;
  MemoryStore memory_;
  EventLog events_;
  QueueStore queue_;
};

}  // namespace aw::gateway::storage
