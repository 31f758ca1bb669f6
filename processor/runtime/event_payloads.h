// Payload texts of the runtime's events, in the shapes of ws-protocol.md §5.2 (`agentName` holds the agent id).
// The `message` payload is chat_message_json (run_records.h), shared with the commit.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "processor/llm/llm_client.h"
#include "processor/runtime/activity_tracker.h"

namespace aw::processor {

// {agentName, type:"start", messageId}
std::string sse_start_payload(std::string_view agent_id, std::string_view message_id);
// {agentName, type:"chunk", content, messageId}
std::string sse_chunk_payload(std::string_view agent_id, std::string_view content, std::string_view message_id);
// {agentName, type:"end", messageId, usage?:{inputTokens, outputTokens, totalTokens}}
std::string sse_end_payload(std::string_view agent_id, std::string_view message_id,
                            const std::optional<LlmUsage>& usage);
// {agentName, type:"error", error, messageId}
std::string sse_error_payload(std::string_view agent_id, std::string_view error, std::string_view message_id);

// {content:{message:"[Error] <text>", type:"error"}, timestamp, messageId, chatId} (agent-runtime.md §5 step 5).
std::string system_error_payload(std::string_view error_text, std::string_view timestamp, std::string_view message_id,
                                 std::string_view chat_id);

// What every activity event of an attempt shares.
struct ActivityContext {
  std::int64_t activity_id = 0;
  std::string run_id;
  std::string world_id;
  std::int64_t max_queue_size = 100;  // AW_LLM_QUEUE_MAX
};

// {type, pendingOperations, activityId, timestamp, source?, activeSources, queue:{queueLength, processing,
// nextAgent?, nextWorld?, maxQueueSize}, messageId, runId}
std::string world_activity_payload(const ActivitySnapshot& activity, const ActivityContext& context,
                                   std::string_view timestamp, std::string_view event_id);

}  // namespace aw::processor
