// Result objects (see entity_views.h).
#include "gateway/core/entity_views.h"

#include "gateway/core/mcp_redaction.h"

namespace aw::gateway {

Result<std::string> world_view(storage::Storage& storage, const storage::WorldRecord& w,
                               const WorldViewOptions& options) {
  auto counts = storage.worlds().counts(w.id);
  if (!counts) return counts.status();
  JsonBuilder b;
  if (Status s = write_world(b, storage, w, counts.value(), options); !s) return s;
  return b.take();
}

Status write_world(JsonBuilder& b, storage::Storage& storage, const storage::WorldRecord& w,
                   const storage::WorldCounts& counts, const WorldViewOptions& options) {
  b.begin_object();
  b.field("id", w.id).field("name", w.name).optional_field("description", w.description);
  b.field("turnLimit", w.turn_limit);
  b.optional_field("chatLLMProvider", w.chat_llm_provider).optional_field("chatLLMModel", w.chat_llm_model);
  if (w.mcp_config) b.field("mcpConfig", redact_mcp_config(*w.mcp_config));
  b.optional_field("currentChatId", w.current_chat_id);
  b.field("createdAt", w.created_at).field("lastUpdated", w.updated_at);
  b.field("totalAgents", counts.total_agents).field("totalMessages", counts.total_messages);
  b.field("isProcessing", counts.is_processing);
  if (options.summary) {
    b.field("agentCount", counts.total_agents).field("chatCount", counts.chat_count);
  } else if (options.with_children) {
    auto agents = storage.agents().list(w.id);
    if (!agents) return agents.status();
    b.key("agents").begin_array();
    for (const auto& agent : agents.value()) {
      auto view = agent_view(storage, agent);
      if (!view) return view.status();
      b.raw(view.value());
    }
    b.end_array();
    auto chats = storage.chats().list(w.id);
    if (!chats) return chats.status();
    b.key("chats").begin_array();
    for (const auto& chat : chats.value()) write_chat(b, chat);
    b.end_array();
  }
  b.optional_field("chatId", options.extra_chat_id);
  b.end_object();
  return Status::ok();
}

Result<std::string> agent_view(storage::Storage& storage, const storage::AgentRecord& a,
                               std::optional<std::int64_t> memory_limit) {
  auto memory_size = storage.memory().count(a.world_id, a.id);
  if (!memory_size) return memory_size.status();
  JsonBuilder b;
  b.begin_object();
  b.field("id", a.id).field("name", a.name).field("type", a.type).field("status", a.status);
  b.field("provider", a.provider).field("model", a.model);
  b.optional_field("systemPrompt", a.system_prompt).optional_field("temperature", a.temperature);
  b.optional_field("maxTokens", a.max_tokens);
  b.field("createdAt", a.created_at).field("lastActive", a.last_active).field("llmCallCount", a.llm_call_count);
  b.optional_field("lastLLMCall", a.last_llm_call).field("memorySize", memory_size.value());
  if (memory_limit) {
    auto rows = storage.memory().recent(a.world_id, a.id, *memory_limit);
    if (!rows) return rows.status();
    b.key("memory").begin_array();
    for (const auto& row : rows.value()) write_memory_row(b, row);
    b.end_array();
  }
  b.end_object();
  return b.take();
}

void write_chat(JsonBuilder& b, const storage::ChatRecord& c) {
  b.begin_object();
  b.field("id", c.id).field("worldId", c.world_id).field("name", c.name).optional_field("description", c.description);
  b.field("createdAt", c.created_at).field("updatedAt", c.updated_at).field("messageCount", c.message_count);
  b.end_object();
}

std::string chat_view(const storage::ChatRecord& chat) {
  JsonBuilder b;
  write_chat(b, chat);
  return b.take();
}

void write_memory_row(JsonBuilder& b, const storage::MemoryRecord& r) {
  b.begin_object();
  b.field("role", r.role).field("content", r.content).optional_field("sender", r.sender);
  b.field("messageId", r.message_id).optional_field("replyToMessageId", r.reply_to_message_id);
  b.field("chatId", r.chat_id).field("agentId", r.agent_id).field("createdAt", r.created_at);
  b.end_object();
}

std::string chat_message_view(const storage::ConversationMessage& m) {
  // The payload is an object this process wrote; "seq" is added as its last member.
  std::string out = m.payload;
  std::size_t close = out.find_last_of('}');
  std::size_t open = out.find('{');
  if (close == std::string::npos || open == std::string::npos) return "{\"seq\":" + std::to_string(m.seq) + "}";
  bool empty = out.find_first_not_of(" \t\r\n", open + 1) == close;
  out.erase(close);
  out += empty ? "\"seq\":" : ",\"seq\":";
  out += std::to_string(m.seq);
  out += '}';
  return out;
}

void write_queue_item(JsonBuilder& b, const storage::QueueItemRecord& q) {
  b.begin_object();
  b.field("worldId", q.world_id).field("messageId", q.message_id).optional_field("chatId", q.chat_id);
  b.field("sender", q.sender).field("content", q.content).field("priority", q.priority).field("state", q.state);
  b.field("attempt", q.attempt).optional_field("error", q.error).optional_field("code", q.error_code);
  b.field("createdAt", q.created_at).optional_field("finishedAt", q.finished_at);
  b.end_object();
}

}  // namespace aw::gateway
