// Building work bodies (see work_builder.h).
#include "gateway/bus/work_builder.h"

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/history_visibility.h"
#include "gateway/storage/run_store.h"

namespace aw::gateway::bus {
namespace {

// agent-runtime.md §6: the gateway scans at most this many stored rows, newest first.
constexpr std::int64_t kHistoryScanCap = 5000;
// Rows read per page of the newest-first scan: twice the rows the agents' windows need, at least kMinPageRows and
// at most kMaxPageRows. A window of 10 for one agent reads two pages of 20 rows (the first fills the window, the
// second is the margin), not two of 64: every row read is a b-tree step and eight string copies.
constexpr std::int64_t kMinPageRows = 16;
constexpr std::int64_t kMaxPageRows = 64;

std::int64_t history_page_rows(std::size_t agents, std::int64_t window) {
  const std::int64_t wanted = 2 * window * static_cast<std::int64_t>(agents);
  return std::clamp(wanted, kMinPageRows, kMaxPageRows);
}

// Counts, newest first, the rows each agent would see (§6 steps 2-3), one per messageId; tells when every agent has
// its window, i.e. when older rows can no longer change any history.
class WindowTracker {
 public:
  WindowTracker(const std::vector<std::string_view>& agent_ids, std::string_view trigger_id, std::int64_t window)
      : agent_ids_(agent_ids), trigger_id_(trigger_id), window_(window), counts_(agent_ids.size(), 0) {}

  void add(const aw::bus::MemoryRow& r) {
    if (r.message_id == trigger_id_ || !seen_.insert(r.message_id).second) return;
    const std::string_view sender = r.sender ? std::string_view(*r.sender) : std::string_view();
    if (!aw::routing::is_history_candidate(sender, r.content, agent_ids_)) return;
    for (std::size_t i = 0; i < agent_ids_.size(); ++i) {
      if (counts_[i] < window_ && aw::routing::row_visible_to(agent_ids_[i], sender, r.content, agent_ids_)) {
        ++counts_[i];
      }
    }
  }
  bool complete() const {
    for (std::int64_t c : counts_) {
      if (c < window_) return false;
    }
    return true;
  }

 private:
  const std::vector<std::string_view>& agent_ids_;
  std::string_view trigger_id_;
  std::int64_t window_;
  std::vector<std::int64_t> counts_;
  std::unordered_set<std::string> seen_;
};

// The stored rows of (world, chat) that can reach a history, oldest first (storage order): read newest first in
// pages until every agent has `window` visible rows (§6 "Who does what"), plus one more page so that the rows of
// a messageId cut by the page boundary are complete; at most kHistoryScanCap rows. The cost depends on the window,
// not on the length of the chat (index agent_memory_chat (world_id, chat_id, id)).
Result<std::vector<aw::bus::MemoryRow>> scan_chat_rows(storage::Storage& storage, const std::string& world_id,
                                                       const std::string& chat_id,
                                                       const std::vector<std::string_view>& agent_ids,
                                                       std::string_view trigger_id, std::int64_t window) {
  std::vector<aw::bus::MemoryRow> rows;
  if (agent_ids.empty() || window <= 0) return rows;
  WindowTracker tracker(agent_ids, trigger_id, window);
  std::int64_t before_id = std::numeric_limits<std::int64_t>::max();
  bool margin_page = false;
  const std::int64_t page_rows = history_page_rows(agent_ids.size(), window);
  while (static_cast<std::int64_t>(rows.size()) < kHistoryScanCap) {
    auto stmt = storage.db().prepare(
        "SELECT id, agent_id, chat_id, role, content, sender, message_id, reply_to_message_id, created_at "
        "FROM agent_memory WHERE world_id = ? AND chat_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
    if (!stmt) return stmt.status();
    const std::int64_t limit = std::min(page_rows, kHistoryScanCap - static_cast<std::int64_t>(rows.size()));
    stmt->bind_all(world_id, chat_id, before_id, limit);
    std::int64_t read = 0;
    while (true) {
      auto row = stmt->step();
      if (!row) return row.status();
      if (!row.value()) break;
      ++read;
      before_id = stmt->integer(0);
      rows.push_back(aw::bus::MemoryRow{stmt->text(1), stmt->text(2), stmt->text(3), stmt->text(4),
                                        stmt->optional_text(5), stmt->text(6), stmt->optional_text(7), stmt->text(8)});
      if (!margin_page) tracker.add(rows.back());
    }
    if (read < limit || margin_page) break;  // the chat's oldest row was read, or the margin page is in
    margin_page = tracker.complete();
  }
  std::reverse(rows.begin(), rows.end());
  return rows;
}

// history[A.id] for every agent: agent-runtime.md §6 steps 2-4 over the scanned rows (common/history_visibility.h).
// Selecting oldest first within the scan gives the same rows as scanning newest first until N visible rows.
std::vector<std::pair<std::string, std::vector<aw::bus::MemoryRow>>> agent_histories(
    const std::vector<aw::bus::MemoryRow>& rows, const std::vector<storage::AgentRecord>& agents,
    const std::string& trigger_id, std::int64_t window) {
  std::vector<std::string_view> ids;
  for (const storage::AgentRecord& a : agents) ids.push_back(a.id);
  std::vector<aw::routing::HistoryRowView> views;
  views.reserve(rows.size());
  for (const aw::bus::MemoryRow& r : rows) {
    views.push_back(aw::routing::HistoryRowView{r.message_id, r.sender ? std::string_view(*r.sender) : "", r.content});
  }
  std::vector<std::pair<std::string, std::vector<aw::bus::MemoryRow>>> out;
  for (const storage::AgentRecord& a : agents) {
    std::vector<aw::bus::MemoryRow> history;
    for (std::size_t i : aw::routing::select_agent_history(views, a.id, trigger_id, ids, window)) {
      history.push_back(rows[i]);
    }
    out.emplace_back(a.id, std::move(history));
  }
  return out;
}

}  // namespace

Result<aw::bus::Work> build_work(storage::Storage& storage, const BusSettings& settings,
                                 const storage::QueueItemRecord& item, const std::string& dispatch_id) {
  // One read snapshot for the dozen SELECTs below: one WAL read lock (two fcntl) instead of one per statement.
  // Nothing when the caller already has a transaction open.
  auto snapshot = storage::ReadTransaction::begin(storage.db());
  if (!snapshot) return snapshot.status();
  auto world = storage.worlds().find(item.world_id);
  if (!world) return world.status();
  if (!world.value()) return Status::error("world_not_found", "World '" + item.world_id + "' not found");
  auto chat_id = storage::RunStore(storage).run_chat(*world.value(), item);
  if (!chat_id) return chat_id.status();
  std::optional<storage::ChatRecord> chat;
  if (chat_id.value()) {
    auto found = storage.chats().find_uncounted(item.world_id, *chat_id.value());
    if (!found) return found.status();
    chat = std::move(found.value());
  }
  if (!chat && item.trigger_published) {
    return Status::error(kRunChatDeleted, "the run chat of " + item.world_id + "/" + item.message_id + " was deleted");
  }
  if (!chat) return Status::error("chat_not_found", "world '" + item.world_id + "' has no chat to run in");

  aw::bus::Work w;
  w.dispatch_id = dispatch_id;
  w.world_id = item.world_id;
  w.run_id = item.message_id;
  w.attempt = item.attempt + 1;
  w.chat_id = chat->id;
  w.activity_id = world.value()->last_activity_id + 1;
  w.heartbeat_ms = settings.heartbeat_ms;
  w.lease_ms = settings.lease_ms();
  w.deadline_ms = settings.run_timeout_ms;
  w.history_window = settings.history_window;
  w.trigger = aw::bus::WorkTrigger{item.message_id, item.content, item.sender, item.created_at};
  const storage::WorldRecord& wr = *world.value();
  w.world = aw::bus::WorkWorld{wr.id, wr.name, wr.turn_limit, wr.chat_llm_provider, wr.chat_llm_model};
  w.chat = aw::bus::WorkChat{chat->id, chat->name};
  auto agents = storage.agents().list(item.world_id);
  if (!agents) return agents.status();
  std::vector<std::string_view> agent_ids;
  for (const storage::AgentRecord& a : agents.value()) agent_ids.push_back(a.id);
  auto rows = scan_chat_rows(storage, item.world_id, chat->id, agent_ids, item.message_id, settings.history_window);
  if (!rows) return rows.status();
  for (const storage::AgentRecord& a : agents.value()) {
    w.agents.push_back(aw::bus::WorkAgent{a.id, a.name, a.type, a.provider, a.model, a.system_prompt, a.temperature,
                                          a.max_tokens, a.llm_call_count, a.last_llm_call, a.last_active, a.rev});
  }
  w.history = agent_histories(rows.value(), agents.value(), item.message_id, settings.history_window);
  return w;
}

}  // namespace aw::gateway::bus
