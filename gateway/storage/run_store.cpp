// Queue and commit operations of the bus (see run_store.h).
#include "gateway/storage/run_store.h"

#include "common/json.h"

namespace aw::gateway::storage {
namespace {

Result<std::vector<QueueItemRecord>> read_all(Statement& stmt) {
  std::vector<QueueItemRecord> out;
  while (true) {
    auto row = stmt.step();
    if (!row) return row.status();
    if (!row.value()) break;
    out.push_back(read_queue_item(stmt));
  }
  return out;
}

// The trigger's message event payload (agent-runtime.md §4.1 step 2).
std::string trigger_payload(const QueueItemRecord& item, const std::string& chat_id) {
  std::string out = "{\"content\":";
  json::append_quoted(out, item.content);
  out += ",\"sender\":";
  json::append_quoted(out, item.sender);
  out += ",\"timestamp\":";
  json::append_quoted(out, item.created_at);
  out += ",\"messageId\":";
  json::append_quoted(out, item.message_id);
  out += ",\"chatId\":";
  json::append_quoted(out, chat_id);
  out += "}";
  return out;
}

}  // namespace

Result<std::vector<QueueKey>> RunStore::due_pending_keys(EpochMs now) {
  auto stmt = s_.db().prepare(
      "SELECT world_id, message_id FROM message_queue WHERE state = 'pending' AND "
      "(next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY priority DESC, created_at, rowid");
  if (!stmt) return stmt.status();
  stmt->bind_all(now);
  std::vector<QueueKey> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.status();
    if (!row.value()) break;
    out.push_back(QueueKey{stmt->text(0), stmt->text(1)});
  }
  return out;
}

Result<std::vector<QueueItemRecord>> RunStore::processing() {
  auto stmt = s_.db().prepare(std::string("SELECT ") + kQueueItemColumns +
                              " FROM message_queue WHERE state = 'processing' ORDER BY created_at, rowid");
  if (!stmt) return stmt.status();
  return read_all(*stmt);
}

Result<std::optional<EventRecord>> RunStore::grant(const GrantWrite& g) {
  auto tx = Transaction::begin(s_.db());
  if (!tx) return tx.status();
  auto found = s_.queue().find(g.world_id, g.message_id);
  if (!found) return found.status();
  if (!found.value() || found.value()->state != "pending") {
    return Status::error("not_found", "queue item " + g.world_id + "/" + g.message_id + " is not pending");
  }
  QueueItemRecord item = std::move(*found.value());
  std::optional<EventRecord> trigger;
  if (!item.trigger_published) {
    NewEvent e;
    e.world_id = g.world_id;
    e.chat_id = g.chat_id;
    e.event_type = "message";
    e.message_id = item.message_id;
    e.run_id = item.message_id;  // the trigger carries runId only, no attempt (ws-protocol.md §5.2)
    e.payload = trigger_payload(item, g.chat_id);
    e.ts_ms = g.now;
    auto appended = s_.events().append(e);
    if (!appended) return appended.status();
    ConversationMessage m;
    m.world_id = g.world_id;
    m.message_id = item.message_id;
    m.chat_id = g.chat_id;
    m.seq = static_cast<std::int64_t>(appended->seq);
    m.sender = item.sender;
    m.content = item.content;
    m.run_id = item.message_id;
    m.payload = e.payload;
    m.created_at = item.created_at;
    auto inserted = s_.conversation().insert(m);
    if (!inserted) return inserted.status();
    item.trigger_published = true;
    trigger = std::move(appended.value());
  }
  item.state = "processing";
  item.attempt = g.attempt;
  item.lease_owner = g.lease_owner;
  item.next_attempt_at.reset();
  item.started_at = iso8601_ms(g.now);
  Status s = s_.queue().update(item);
  if (!s) return s;
  auto stmt = s_.db().prepare("UPDATE worlds SET last_activity_id = ? WHERE id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(g.activity_id, g.world_id);
  s = stmt->run();
  if (!s) return s;
  s = tx->commit();
  if (!s) return s;
  return trigger;
}

Status RunStore::end_attempt(const AttemptEnd& end) {
  auto tx = Transaction::begin(s_.db());
  if (!tx) return tx.status();
  auto found = s_.queue().find(end.world_id, end.message_id);
  if (!found) return found.status();
  if (!found.value() || found.value()->state != "processing" || found.value()->attempt != end.attempt) {
    return Status::error("not_found", "queue item " + end.world_id + "/" + end.message_id + " attempt " +
                                          std::to_string(end.attempt) + " is not processing");
  }
  auto marked = s_.events().mark_superseded(end.world_id, end.message_id, end.attempt);
  if (!marked) return marked.status();
  QueueItemRecord item = std::move(*found.value());
  item.state = end.state;
  item.error = end.error;
  item.error_code = end.error_code;
  item.lease_owner.reset();
  item.next_attempt_at = end.next_attempt_at;
  if (end.state != "pending") item.finished_at = iso8601_ms(end.now);
  Status s = s_.queue().update(item);
  if (!s) return s;
  return tx->commit();
}

Result<std::optional<std::string>> RunStore::run_chat(const WorldRecord& world, const QueueItemRecord& item) {
  if (item.trigger_published) {
    auto trigger_chat = s_.db().prepare("SELECT chat_id FROM messages WHERE world_id = ? AND message_id = ?");
    if (!trigger_chat) return trigger_chat.status();
    trigger_chat->bind_all(item.world_id, item.message_id);
    auto row = trigger_chat->step();
    if (!row) return row.status();
    if (row.value()) return trigger_chat->optional_text(0);
    return std::optional<std::string>();  // the run chat was deleted: never re-resolved
  }
  if (item.chat_id) {
    auto chat = s_.chats().find_uncounted(world.id, *item.chat_id);
    if (!chat) return chat.status();
    if (chat.value()) return item.chat_id;
  }
  return world.current_chat_id;
}

Result<bool> RunStore::run_chat_deleted(const QueueItemRecord& item) {
  if (!item.trigger_published) return false;
  auto stmt = s_.db().prepare("SELECT COUNT(*) FROM messages WHERE world_id = ? AND message_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(item.world_id, item.message_id);
  auto n = stmt->single_integer();
  if (!n) return n.status();
  return n.value() == 0;
}

Status RunStore::cancel_pending(const std::string& world_id, const std::string& message_id, EpochMs now) {
  auto tx = Transaction::begin(s_.db());
  if (!tx) return tx.status();
  auto found = s_.queue().find(world_id, message_id);
  if (!found) return found.status();
  if (!found.value() || found.value()->state != "pending") {
    return Status::error("not_found", "queue item " + world_id + "/" + message_id + " is not pending");
  }
  QueueItemRecord item = std::move(*found.value());
  item.state = "cancelled";
  item.error = "Cancelled";
  item.error_code = "cancelled";
  item.next_attempt_at.reset();
  item.finished_at = iso8601_ms(now);
  Status s = s_.queue().update(item);
  if (!s) return s;
  return tx->commit();
}

Result<std::int64_t> RunStore::message_seq(const std::string& world_id, const std::string& run_id, std::int64_t attempt,
                                           const std::string& message_id) {
  // MIN(+seq), 0 (NULL) without a row: with a plain `ORDER BY seq LIMIT 1` or MIN(seq) SQLite walks the primary
  // key (world_id, seq), i.e. the world's whole event log; `+seq` makes it take the run's few rows from events_run
  // (world_id, run_id, attempt), and MIN needs no sorter.
  auto stmt = s_.db().prepare(
      "SELECT MIN(+seq) FROM events WHERE world_id = ? AND run_id = ? AND attempt = ? AND event_type = 'message' AND "
      "message_id = ?");
  if (!stmt) return stmt.status();
  stmt->bind_all(world_id, run_id, attempt, message_id);
  return stmt->single_integer();
}

Result<CommitApplied> RunStore::apply_commit(const aw::bus::Commit& c, std::string_view run_chat_id,
                                             const CommitEnd& end, EpochMs now) {
  CommitApplied applied;
  auto tx = Transaction::begin(s_.db());
  if (!tx) return tx.status();
  // A message whose event never arrived takes the seq of the closest earlier message of the run (§2.5): start from
  // the trigger's.
  auto trigger_seq = s_.db().prepare("SELECT seq FROM messages WHERE world_id = ? AND message_id = ?");
  if (!trigger_seq) return trigger_seq.status();
  trigger_seq->bind_all(c.world_id, c.run_id);
  auto last_seq = trigger_seq->single_integer();
  if (!last_seq) return last_seq.status();
  std::int64_t seq = last_seq.value();
  std::optional<std::string> newest_timestamp;
  for (const aw::bus::CommitMessage& m : c.messages) {
    auto event_seq = message_seq(c.world_id, c.run_id, c.attempt, m.message_id);
    if (!event_seq) return event_seq.status();
    if (event_seq.value() > 0) seq = event_seq.value();
    auto chat = s_.chats().find_uncounted(c.world_id, m.chat_id);
    if (!chat) return chat.status();
    if (!chat.value()) continue;  // the chat was deleted meanwhile (§7 step 1)
    ConversationMessage row;
    row.world_id = c.world_id;
    row.message_id = m.message_id;
    row.chat_id = m.chat_id;
    row.seq = seq;
    row.sender = m.sender;
    row.content = m.content;
    row.reply_to_message_id = m.reply_to_message_id;
    row.run_id = c.run_id;
    row.payload = m.payload_json;
    row.created_at = m.timestamp;
    auto inserted = s_.conversation().insert(row);
    if (!inserted) return inserted.status();
    if (inserted.value()) ++applied.messages_inserted;
    if (m.chat_id == run_chat_id && (!newest_timestamp || m.timestamp > *newest_timestamp)) {
      newest_timestamp = m.timestamp;
    }
  }
  for (const aw::bus::MemoryRow& r : c.memory) {
    // FK violations are not ignored by INSERT OR IGNORE: check that the agent and the chat still exist.
    auto agent = s_.agents().find(c.world_id, r.agent_id);
    if (!agent) return agent.status();
    auto chat = s_.chats().find_uncounted(c.world_id, r.chat_id);
    if (!chat) return chat.status();
    if (!agent.value() || !chat.value()) continue;
    MemoryRecord row{0,           c.world_id,   r.agent_id,
                     r.chat_id,   r.role,       r.content,
                     r.sender,    r.message_id, r.reply_to_message_id,
                     r.created_at};
    auto inserted = s_.memory().insert(row);
    if (!inserted) return inserted.status();
    if (inserted.value()) ++applied.memory_inserted;
  }
  for (const aw::bus::AgentCounters& a : c.agents) {
    // The rev fence (§7 step 3): update-agent, clear-agent-memory or a recreated agent changed rev, so this
    // attempt's counters describe an agent that no longer exists in that form.
    auto stmt = s_.db().prepare(
        "UPDATE agents SET llm_call_count = ?, last_llm_call = COALESCE(?, last_llm_call), "
        "last_active = COALESCE(?, last_active) WHERE world_id = ? AND id = ? AND rev = ?");
    if (!stmt) return stmt.status();
    stmt->bind_all(a.llm_call_count, a.last_llm_call, a.last_active, c.world_id, a.id, a.rev);
    Status s = stmt->run();
    if (!s) return s;
    if (s_.db().changes() > 0) {
      ++applied.counters_written;
    } else {
      ++applied.counters_skipped;
    }
  }
  if (newest_timestamp) {
    auto stmt = s_.db().prepare("UPDATE chats SET updated_at = ? WHERE world_id = ? AND id = ?");
    if (!stmt) return stmt.status();
    stmt->bind_all(*newest_timestamp, c.world_id, run_chat_id);
    Status s = stmt->run();
    if (!s) return s;
  }
  auto found = s_.queue().find(c.world_id, c.run_id);
  if (!found) return found.status();
  if (!found.value()) return Status::error("not_found", "queue item " + c.world_id + "/" + c.run_id + " is gone");
  QueueItemRecord item = std::move(*found.value());
  item.state = end.state;
  item.error = end.error;
  item.error_code = end.error_code;
  item.lease_owner.reset();
  item.finished_at = iso8601_ms(now);
  Status s = s_.queue().update(item);
  if (!s) return s;
  s = tx->commit();
  if (!s) return s;
  return applied;
}

}  // namespace aw::gateway::storage
