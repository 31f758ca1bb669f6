// Event payload texts (see event_payloads.h).
#include "processor/runtime/event_payloads.h"

#include <vector>

#include "common/json.h"
#include "processor/runtime/json_object_writer.h"

namespace aw::processor {
namespace {

JsonObjectWriter sse(std::string_view agent_id, std::string_view type) {
  JsonObjectWriter w;
  w.string("agentName", agent_id).string("type", type);
  return w;
}

}  // namespace

std::string sse_start_payload(std::string_view agent_id, std::string_view message_id) {
  return sse(agent_id, "start").string("messageId", message_id).finish();
}

std::string sse_chunk_payload(std::string_view agent_id, std::string_view content, std::string_view message_id) {
  return sse(agent_id, "chunk").string("content", content).string("messageId", message_id).finish();
}

std::string sse_end_payload(std::string_view agent_id, std::string_view message_id,
                            const std::optional<LlmUsage>& usage) {
  JsonObjectWriter w = sse(agent_id, "end");
  w.string("messageId", message_id);
  if (usage) {
    JsonObjectWriter u;
    u.integer("inputTokens", usage->input_tokens)
        .integer("outputTokens", usage->output_tokens)
        .integer("totalTokens", usage->total_tokens);
    w.raw("usage", u.finish());
  }
  return w.finish();
}

std::string sse_error_payload(std::string_view agent_id, std::string_view error, std::string_view message_id) {
  return sse(agent_id, "error").string("error", error).string("messageId", message_id).finish();
}

std::string system_error_payload(std::string_view error_text, std::string_view timestamp, std::string_view message_id,
                                 std::string_view chat_id) {
  JsonObjectWriter content;
  content.string("message", "[Error] " + std::string(error_text)).string("type", "error");
  JsonObjectWriter w;
  w.raw("content", content.finish())
      .string("timestamp", timestamp)
      .string("messageId", message_id)
      .string("chatId", chat_id);
  return w.finish();
}

std::string world_activity_payload(const ActivitySnapshot& activity, const ActivityContext& context,
                                   std::string_view timestamp, std::string_view event_id) {
  std::vector<std::string> sources;
  sources.reserve(activity.active_sources.size());
  for (const auto& s : activity.active_sources) {
    std::string q;
    json::append_quoted(q, s);
    sources.push_back(std::move(q));
  }
  JsonObjectWriter queue;
  queue.integer("queueLength", activity.queue_length).boolean("processing", activity.processing);
  if (activity.next_agent) queue.string("nextAgent", *activity.next_agent).string("nextWorld", context.world_id);
  queue.integer("maxQueueSize", context.max_queue_size);

  JsonObjectWriter w;
  w.string("type", activity_type_name(activity.type))
      .integer("pendingOperations", activity.pending_operations)
      .integer("activityId", context.activity_id)
      .string("timestamp", timestamp);
  if (activity.source) w.string("source", *activity.source);
  w.raw("activeSources", json_array(sources))
      .raw("queue", queue.finish())
      .string("messageId", event_id)
      .string("runId", context.run_id);
  return w.finish();
}

}  // namespace aw::processor
