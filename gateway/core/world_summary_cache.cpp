// Cached WorldSummary objects (see world_summary_cache.h).
#include "gateway/core/world_summary_cache.h"

#include "gateway/core/entity_views.h"

namespace aw::gateway {

Result<const std::vector<WorldSummaryCache::Entry>*> WorldSummaryCache::summaries(storage::Storage& storage) {
  storage::Database& db = storage.db();
  const bool cacheable = !db.in_transaction();
  const storage::Database::ChangeStamp stamp = db.change_stamp();
  if (cacheable && stamp_ && *stamp_ == stamp) return &entries_;

  stamp_.reset();
  entries_.clear();
  all_json_.reset();
  ++reads_;
  auto worlds = storage.worlds().list_with_counts();
  if (!worlds) return worlds.status();
  const WorldViewOptions summary{false, true, std::nullopt};
  entries_.reserve(worlds->size());
  for (const auto& w : worlds.value()) {
    JsonBuilder b;
    if (Status s = write_world(b, storage, w.world, w.counts, summary); !s) {
      entries_.clear();
      return s;
    }
    entries_.push_back(Entry{w.world.id, b.take()});
  }
  if (cacheable) stamp_ = stamp;
  return &entries_;
}

const std::string& WorldSummaryCache::all_json() {
  if (!all_json_) {
    std::size_t bytes = 2;
    for (const Entry& entry : entries_) bytes += entry.json.size() + 1;
    std::string out;
    out.reserve(bytes);
    out += '[';
    for (const Entry& entry : entries_) {
      if (out.size() > 1) out += ',';
      out += entry.json;
    }
    out += ']';
    all_json_ = std::move(out);
  }
  return *all_json_;
}

}  // namespace aw::gateway
