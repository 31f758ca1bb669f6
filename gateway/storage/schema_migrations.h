// SchemaMigrations: the versioned schema of agent-runtime.md §14 and the code that brings a database to it.
//
// Versions are recorded in aw_schema_migrations(version, name, applied_at); each migration runs whole in one
// transaction. aw_meta('app', 'agent-world-cpp') marks a database this program created: a file that has tables but
// no such row is refused, never migrated (it may be the TypeScript server's database.db).
//
// Thread-safety: free functions over a Database owned by the caller's thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "gateway/storage/database.h"

namespace aw::gateway::storage {

// The value of aw_meta 'app' that marks our databases.
inline constexpr const char* kAppMarker = "agent-world-cpp";

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Every migration, ascending version. The last one is the current schema.
const std::vector<Migration>& all_migrations();
int latest_schema_version();

// The highest applied version (0 for an empty database).
Result<int> schema_version(Database& db);

// Brings the database to `target_version` (default: the latest). Fails with
// - code "foreign_database" when the file has tables but no aw_meta app row (the message names the file);
// - code "schema_too_new" when the database is newer than this program;
// - code "internal" when a migration fails (that migration is rolled back; earlier ones stay).
Status migrate(Database& db, int target_version = -1);

}  // namespace aw::gateway::storage
