// Encoding of typed bus messages to frames (see bus_codec.h). Field order follows bus-protocol.md §2.
#include "common/bus/body_writer.h"
#include "common/bus/bus_codec.h"
#include "common/bus/bus_topics.h"

namespace aw::bus {
namespace {

void write_memory_row(BodyWriter& w, const MemoryRow& r) {
  w.begin_object().field("agentId", r.agent_id).field("chatId", r.chat_id).field("role", r.role);
  w.field("content", r.content).optional_field("sender", r.sender).field("messageId", r.message_id);
  w.optional_field("replyToMessageId", r.reply_to_message_id).field("createdAt", r.created_at).end_object();
}

// processorId, worldId, runId, attempt: the run-scoped prefix most G<->P messages share.
void write_run(BodyWriter& w, const std::string& processor_id, const std::string& world_id, const std::string& run_id,
               std::int64_t attempt) {
  w.field("processorId", processor_id).field("worldId", world_id).field("runId", run_id).field("attempt", attempt);
}

}  // namespace

Frame encode(const Hello& m) {
  BodyWriter w("hello");
  w.field("processorId", m.processor_id).field("vMin", m.v_min).field("vMax", m.v_max).field("slots", m.slots);
  return {hello_topic(m.processor_id), w.finish()};
}

Frame encode(const Welcome& m) {
  BodyWriter w("welcome");
  w.field("processorId", m.processor_id).field("gatewayId", m.gateway_id).field("heartbeatMs", m.heartbeat_ms);
  return {ctl_topic(m.processor_id), w.finish()};
}

Frame encode(const Heartbeat& m) {
  BodyWriter w("hb");
  w.field("processorId", m.processor_id).field("vMin", m.v_min).field("vMax", m.v_max).field("slots", m.slots);
  w.key("runs").begin_array();
  for (const RunRef& r : m.runs) {
    w.begin_object().field("worldId", r.world_id).field("runId", r.run_id).field("attempt", r.attempt).end_object();
  }
  w.end_array();
  return {hb_topic(m.processor_id), w.finish()};
}

Frame encode(const Work& m) {
  BodyWriter w("work");
  w.field("dispatchId", m.dispatch_id).field("worldId", m.world_id).field("runId", m.run_id);
  w.field("attempt", m.attempt).field("chatId", m.chat_id).field("activityId", m.activity_id);
  w.field("heartbeatMs", m.heartbeat_ms).field("leaseMs", m.lease_ms).field("deadlineMs", m.deadline_ms);
  w.field("historyWindow", m.history_window);
  w.key("trigger").begin_object().field("messageId", m.trigger.message_id).field("content", m.trigger.content);
  w.field("sender", m.trigger.sender).field("createdAt", m.trigger.created_at).end_object();
  w.key("world").begin_object().field("id", m.world.id).field("name", m.world.name);
  w.field("turnLimit", m.world.turn_limit).optional_field("chatLLMProvider", m.world.chat_llm_provider);
  w.optional_field("chatLLMModel", m.world.chat_llm_model).end_object();
  w.key("chat").begin_object().field("id", m.chat.id).field("name", m.chat.name).end_object();
  w.key("agents").begin_array();
  for (const WorkAgent& a : m.agents) {
    w.begin_object().field("id", a.id).field("name", a.name).field("type", a.type).field("provider", a.provider);
    w.field("model", a.model).optional_field("systemPrompt", a.system_prompt);
    w.optional_field("temperature", a.temperature).optional_field("maxTokens", a.max_tokens);
    w.field("llmCallCount", a.llm_call_count).optional_field("lastLLMCall", a.last_llm_call);
    w.field("lastActive", a.last_active).field("rev", a.rev).end_object();
  }
  w.end_array();
  w.key("history").begin_object();
  for (const auto& [agent_id, rows] : m.history) {
    w.key(agent_id).begin_array();
    for (const MemoryRow& r : rows) write_memory_row(w, r);
    w.end_array();
  }
  w.end_object();
  return {std::string(kWorkTopic), w.finish()};
}

Frame encode(const Accept& m) {
  BodyWriter w("accept");
  write_run(w, m.processor_id, m.world_id, m.run_id, m.attempt);
  w.field("dispatchId", m.dispatch_id);
  return {run_topic(m.world_id), w.finish()};
}

Frame encode(const Reject& m) {
  BodyWriter w("reject");
  write_run(w, m.run.processor_id, m.run.world_id, m.run.run_id, m.run.attempt);
  w.field("dispatchId", m.run.dispatch_id).field("reason", reject_reason_name(m.reason));
  return {run_topic(m.run.world_id), w.finish()};
}

Frame encode(const Grant& m) {
  BodyWriter w("grant");
  write_run(w, m.processor_id, m.world_id, m.run_id, m.attempt);
  w.field("dispatchId", m.dispatch_id);
  return {ctl_topic(m.processor_id), w.finish()};
}

Frame encode(const Deny& m) {
  BodyWriter w("deny");
  write_run(w, m.run.processor_id, m.run.world_id, m.run.run_id, m.run.attempt);
  w.field("dispatchId", m.run.dispatch_id).field("reason", m.reason);
  return {ctl_topic(m.run.processor_id), w.finish()};
}

Frame encode(const Event& m) {
  BodyWriter w("event");
  w.field("processorId", m.processor_id).field("worldId", m.world_id).field("chatId", m.chat_id);
  w.field("runId", m.run_id).field("attempt", m.attempt).field("index", m.index).field("eventType", m.event_type);
  w.key("payload").raw(m.payload_json.empty() ? std::string_view("{}") : std::string_view(m.payload_json));
  return {event_topic(m.world_id), w.finish()};
}

Frame encode(const Commit& m) {
  BodyWriter w("commit");
  write_run(w, m.processor_id, m.world_id, m.run_id, m.attempt);
  w.field("lastIndex", m.last_index).field("outcome", commit_outcome_name(m.outcome));
  w.key("messages").begin_array();
  for (const CommitMessage& msg : m.messages) w.raw(msg.payload_json);
  w.end_array();
  w.key("memory").begin_array();
  for (const MemoryRow& r : m.memory) write_memory_row(w, r);
  w.end_array();
  w.key("agents").begin_array();
  for (const AgentCounters& a : m.agents) {
    w.begin_object().field("id", a.id).field("rev", a.rev).field("llmCallCount", a.llm_call_count);
    w.optional_field("lastLLMCall", a.last_llm_call).optional_field("lastActive", a.last_active).end_object();
  }
  w.end_array();
  return {commit_topic(m.world_id), w.finish()};
}

Frame encode(const CommitAck& m) {
  BodyWriter w("commit-ack");
  write_run(w, m.processor_id, m.world_id, m.run_id, m.attempt);
  w.field("result", commit_result_name(m.result));
  return {ctl_topic(m.processor_id), w.finish()};
}

Frame encode(const Cancel& m) {
  BodyWriter w("cancel");
  write_run(w, m.processor_id, m.world_id, m.run_id, m.attempt);
  w.field("reason", cancel_reason_name(m.reason));
  return {ctl_topic(m.processor_id), w.finish()};
}

Frame encode(const Title& m) {
  BodyWriter w("title");
  w.field("dispatchId", m.dispatch_id).field("worldId", m.world_id).field("chatId", m.chat_id);
  w.field("provider", m.provider).field("model", m.model).key("lines").begin_array();
  for (const std::string& line : m.lines) w.value(line);
  w.end_array().field("timeoutMs", m.timeout_ms);
  return {std::string(kTitleTopic), w.finish()};
}

Frame encode(const TitleResult& m) {
  BodyWriter w("title-result");
  w.field("processorId", m.processor_id).field("dispatchId", m.dispatch_id).field("worldId", m.world_id);
  w.field("chatId", m.chat_id).key("title");
  if (m.title) {
    w.value(*m.title);
  } else {
    w.null();
  }
  w.optional_field("error", m.error);
  return {title_result_topic(m.world_id), w.finish()};
}

Frame encode(const BusMessage& m) {
  return std::visit([](const auto& typed) { return encode(typed); }, m);
}

}  // namespace aw::bus
