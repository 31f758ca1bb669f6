// Parsing and validation of work items (see work_item.h).
#include "processor/runtime/work_item.h"

#include <set>

#include "common/ids.h"

namespace aw::processor {
namespace {

// Upper bounds that keep a corrupt item from asking for absurd work; far above anything the gateway sends.
constexpr std::int64_t kMaxHistoryWindow = 10000;
constexpr std::int64_t kMaxTurnLimit = 1000000;
constexpr std::int64_t kMaxDeadlineMs = 7LL * 24 * 3600 * 1000;

Status bad(const std::string& path, std::string_view what) {
  return Status::invalid_request("work item: " + path + " " + std::string(what));
}

std::string join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

bool absent_or_null(const json::Value& obj, std::string_view key) {
  const json::Value* v = json::find(obj, key);
  return v == nullptr || v->IsNull();
}

Status read_string(const json::Value& obj, std::string_view key, const std::string& prefix, std::string& out,
                   bool allow_empty = false) {
  auto v = json::get_string(obj, key);
  if (!v || (!allow_empty && v->empty())) {
    return bad(join(prefix, key), allow_empty ? "must be a string" : "must be a non-empty string");
  }
  out = std::move(*v);
  return Status::ok();
}

Status read_id(const json::Value& obj, std::string_view key, const std::string& prefix, std::string& out) {
  Status s = read_string(obj, key, prefix, out);
  if (!s) return s;
  if (out.size() > kMaxIdLength) return bad(join(prefix, key), "is longer than 100 characters");
  return Status::ok();
}

Status read_optional_string(const json::Value& obj, std::string_view key, const std::string& prefix,
                            std::optional<std::string>& out) {
  if (absent_or_null(obj, key)) return Status::ok();
  auto v = json::get_string(obj, key);
  if (!v) return bad(join(prefix, key), "must be a string or null");
  out = std::move(*v);
  return Status::ok();
}

Status read_int(const json::Value& obj, std::string_view key, const std::string& prefix, std::int64_t& out,
                std::int64_t min_value, std::int64_t max_value) {
  auto v = json::get_int(obj, key);
  if (!v || *v < min_value || *v > max_value) {
    return bad(join(prefix, key),
               "must be an integer in [" + std::to_string(min_value) + ", " + std::to_string(max_value) + "]");
  }
  out = *v;
  return Status::ok();
}

Status read_optional_int(const json::Value& obj, std::string_view key, const std::string& prefix,
                         std::optional<std::int64_t>& out, std::int64_t min_value, std::int64_t max_value) {
  if (absent_or_null(obj, key)) return Status::ok();
  std::int64_t value = 0;
  Status s = read_int(obj, key, prefix, value, min_value, max_value);
  if (!s) return s;
  out = value;
  return Status::ok();
}

const json::Value* object_field(const json::Value& obj, std::string_view key) {
  const json::Value* v = json::find(obj, key);
  return v != nullptr && v->IsObject() ? v : nullptr;
}

Status parse_world(const json::Value& body, WorldSnapshot& world) {
  const json::Value* w = object_field(body, "world");
  if (w == nullptr) return bad("world", "must be an object");
  Status s = read_id(*w, "id", "world", world.id);
  if (s) s = read_string(*w, "name", "world", world.name, /*allow_empty=*/true);
  if (s) s = read_optional_string(*w, "chatLLMProvider", "world", world.chat_llm_provider);
  if (s) s = read_optional_string(*w, "chatLLMModel", "world", world.chat_llm_model);
  if (!s) return s;
  // agent-runtime.md §2.1: absent, null or 0 mean the default.
  std::optional<std::int64_t> turn_limit;
  s = read_optional_int(*w, "turnLimit", "world", turn_limit, 0, kMaxTurnLimit);
  if (!s) return s;
  world.turn_limit = turn_limit.value_or(0) == 0 ? kDefaultTurnLimit : *turn_limit;
  return Status::ok();
}

Status parse_agent(const json::Value& a, const std::string& prefix, AgentSnapshot& agent) {
  if (!a.IsObject()) return bad(prefix, "must be an object");
  Status s = read_id(a, "id", prefix, agent.id);
  if (s) s = read_string(a, "name", prefix, agent.name, /*allow_empty=*/true);
  if (s) s = read_string(a, "provider", prefix, agent.provider);
  if (s) s = read_string(a, "model", prefix, agent.model);
  if (s) s = read_optional_string(a, "systemPrompt", prefix, agent.system_prompt);
  if (s) s = read_optional_int(a, "maxTokens", prefix, agent.max_tokens, 1, INT64_MAX);
  if (s) s = read_int(a, "llmCallCount", prefix, agent.llm_call_count, 0, INT64_MAX);
  if (s) s = read_optional_string(a, "lastLLMCall", prefix, agent.last_llm_call);
  if (s) s = read_optional_string(a, "lastActive", prefix, agent.last_active);
  if (s) s = read_int(a, "rev", prefix, agent.rev, INT64_MIN, INT64_MAX);
  if (!s) return s;
  std::optional<std::string> type;
  s = read_optional_string(a, "type", prefix, type);
  if (!s) return s;
  agent.type = type.value_or("default");
  if (!absent_or_null(a, "temperature")) {
    auto t = json::get_number(a, "temperature");
    if (!t || *t < 0.0 || *t > 2.0) return bad(join(prefix, "temperature"), "must be a number in [0, 2] or null");
    agent.temperature = *t;
  }
  return Status::ok();
}

Status parse_memory_row(const json::Value& r, const std::string& prefix, MemoryRow& row) {
  if (!r.IsObject()) return bad(prefix, "must be an object");
  Status s = read_string(r, "role", prefix, row.role);
  if (s) s = read_string(r, "content", prefix, row.content, /*allow_empty=*/true);
  if (s) s = read_string(r, "messageId", prefix, row.message_id);
  if (s) s = read_optional_string(r, "replyToMessageId", prefix, row.reply_to_message_id);
  if (!s) return s;
  // A row without a sender (the schema allows null) renders like a human's words: no "<sender>: " prefix.
  std::optional<std::string> text;
  if (s = read_optional_string(r, "sender", prefix, text); !s) return s;
  row.sender = text.value_or("");
  text.reset();
  // Informational for the prompt; the gateway may leave them out.
  if (s = read_optional_string(r, "agentId", prefix, text); !s) return s;
  row.agent_id = text.value_or("");
  text.reset();
  if (s = read_optional_string(r, "chatId", prefix, text); !s) return s;
  row.chat_id = text.value_or("");
  text.reset();
  if (s = read_optional_string(r, "createdAt", prefix, text); !s) return s;
  row.created_at = text.value_or("");
  return Status::ok();
}

Status parse_history(const json::Value& body, WorkItem& item) {
  if (absent_or_null(body, "history")) return Status::ok();
  const json::Value* h = object_field(body, "history");
  if (h == nullptr) return bad("history", "must be an object");
  std::set<std::string> agent_ids;
  for (const auto& agent : item.agents) agent_ids.insert(agent.id);
  for (auto it = h->MemberBegin(); it != h->MemberEnd(); ++it) {
    std::string agent_id(it->name.GetString(), it->name.GetStringLength());
    std::string prefix = "history." + agent_id;
    if (!it->value.IsArray()) return bad(prefix, "must be an array");
    std::vector<MemoryRow> rows;
    rows.reserve(it->value.Size());
    for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
      MemoryRow row;
      Status s = parse_memory_row(it->value[i], prefix + "[" + std::to_string(i) + "]", row);
      if (!s) return s;
      rows.push_back(std::move(row));
    }
    if (agent_ids.count(agent_id) != 0) item.history[agent_id] = std::move(rows);
  }
  return Status::ok();
}

Result<WorkItem> parse_body(const json::Value& body);

}  // namespace

Result<WorkItem> parse_work_item(std::string_view json_text) {
  auto doc = json::parse_untrusted(json_text);
  if (!doc) return Status::invalid_request("work item: " + doc.status().message());
  return work_item_from_json(*doc);
}

namespace {

Result<WorkItem> parse_body(const json::Value& body) {
  if (!body.IsObject()) return Status::invalid_request("work item: the body must be a JSON object");
  WorkItem item;
  std::optional<std::string> dispatch_id;
  Status s = read_optional_string(body, "dispatchId", "", dispatch_id);
  if (s) s = read_id(body, "worldId", "", item.world_id);
  if (s) s = read_string(body, "runId", "", item.run_id);
  if (s) s = read_int(body, "attempt", "", item.attempt, 1, INT64_MAX);
  if (s) s = read_string(body, "chatId", "", item.chat_id);
  if (s) s = read_int(body, "activityId", "", item.activity_id, 0, INT64_MAX);
  if (s) s = read_optional_int(body, "heartbeatMs", "", item.heartbeat_ms, 1, INT64_MAX);
  if (s) s = read_optional_int(body, "leaseMs", "", item.lease_ms, 1, INT64_MAX);
  if (s) s = read_int(body, "deadlineMs", "", item.deadline_ms, 1, kMaxDeadlineMs);
  if (s) s = read_int(body, "historyWindow", "", item.history_window, 0, kMaxHistoryWindow);
  if (!s) return s;
  item.dispatch_id = dispatch_id.value_or("");

  const json::Value* trigger = object_field(body, "trigger");
  if (trigger == nullptr) return bad("trigger", "must be an object");
  s = read_string(*trigger, "messageId", "trigger", item.trigger.message_id);
  // An empty content is a real message (`payload: null`, agent-runtime.md §15 case 6); an empty sender is mapped to
  // `human` by the gateway, and classifies as HUMAN anyway.
  if (s) s = read_string(*trigger, "content", "trigger", item.trigger.content, /*allow_empty=*/true);
  if (s) s = read_string(*trigger, "sender", "trigger", item.trigger.sender, /*allow_empty=*/true);
  if (!s) return s;
  std::optional<std::string> created_at;
  if (s = read_optional_string(*trigger, "createdAt", "trigger", created_at); !s) return s;
  item.trigger.created_at = created_at.value_or("");
  if (item.trigger.message_id != item.run_id) return bad("runId", "must equal trigger.messageId");

  if (s = parse_world(body, item.world); !s) return s;
  if (item.world.id != item.world_id) return bad("world.id", "must equal worldId");

  const json::Value* chat = object_field(body, "chat");
  if (chat == nullptr) return bad("chat", "must be an object");
  s = read_string(*chat, "id", "chat", item.chat.id);
  if (s) s = read_string(*chat, "name", "chat", item.chat.name, /*allow_empty=*/true);
  if (!s) return s;
  if (item.chat.id != item.chat_id) return bad("chat.id", "must equal chatId");

  const json::Value* agents = json::find(body, "agents");
  if (agents == nullptr || !agents->IsArray()) return bad("agents", "must be an array");
  std::set<std::string> seen;
  for (rapidjson::SizeType i = 0; i < agents->Size(); ++i) {
    AgentSnapshot agent;
    std::string prefix = "agents[" + std::to_string(i) + "]";
    if (s = parse_agent((*agents)[i], prefix, agent); !s) return s;
    if (!seen.insert(agent.id).second) return bad(prefix + ".id", "repeats agent '" + agent.id + "'");
    item.agents.push_back(std::move(agent));
  }
  if (s = parse_history(body, item); !s) return s;
  return item;
}

}  // namespace

Result<WorkItem> work_item_from_json(const json::Value& body) {
  // Every access above checks the type first; the catch only keeps a bug in that from ending the process.
  try {
    return parse_body(body);
  } catch (const std::exception& e) {
    return Status::invalid_request(std::string("work item: ") + e.what());
  }
}

}  // namespace aw::processor
