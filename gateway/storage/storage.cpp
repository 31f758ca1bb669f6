// Opening the gateway's database (see storage.h).
#include "gateway/storage/storage.h"

#include "gateway/storage/schema_migrations.h"

namespace aw::gateway::storage {

Storage::Storage(std::unique_ptr<Database> db)
    : db_(std::move(db)),
      worlds_(*db_),
      agents_(*db_),
      chats_(*db_),
      conversation_(*db_),
      memory_(*db_),
      events_(*db_),
      queue_(*db_) {}

Result<std::unique_ptr<Storage>> Storage::open(const std::string& path, bool in_memory) {
  auto db = Database::open(path, in_memory);
  if (!db) return db.status();
  Status s = migrate(*db.value());
  if (!s) return s;
  return std::unique_ptr<Storage>(new Storage(std::move(db.value())));
}

}  // namespace aw::gateway::storage
