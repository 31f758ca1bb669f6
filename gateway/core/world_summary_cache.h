// WorldSummaryCache: the WorldSummary objects list-worlds answers with (ws-protocol.md §8.2), kept as JSON between
// calls while the database is unchanged, so that list-worlds on an unchanged database runs no SQL at all.
//
// Validity: the summaries are keyed by Database::change_stamp(), taken before they were read. Every write of the
// gateway goes through its one connection and moves the stamp (rows written, even when rolled back), so totals stay
// right after every command, bus commit and deletion. A commit of another connection moves it once this connection
// has begun a transaction after that commit: the gateway is the only writer (agent-runtime.md §1), and a row
// written by another process (by hand, with the sqlite3 CLI) appears in list-worlds after the gateway's next other
// statement. Summaries read while a transaction is open are served but not kept, so an uncommitted state that is
// later rolled back is never kept.
//
// Thread-safety: loop thread only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "gateway/storage/storage.h"

namespace aw::gateway {

class WorldSummaryCache {
 public:
  struct Entry {
    std::string world_id;
    std::string json;  // the WorldSummary object
  };

  // Every world's summary, in list order (creation time, then id): cached, or read with one statement. The pointer
  // stays valid until the next call.
  Result<const std::vector<Entry>*> summaries(storage::Storage& storage);

  // Every summary of the last successful summaries() call joined into one JSON array, built on first use and kept
  // with the entries (list-worlds for a principal that may see every world copies it as it is).
  const std::string& all_json();

  // Reads since construction (for tests: a cached answer reads nothing).
  std::size_t reads() const { return reads_; }

 private:
  std::optional<storage::Database::ChangeStamp> stamp_;  // nullopt: entries_ are not a valid cache
  std::vector<Entry> entries_;
  std::optional<std::string> all_json_;  // nullopt: not built for the current entries_
  std::size_t reads_ = 0;
};

}  // namespace aw::gateway
