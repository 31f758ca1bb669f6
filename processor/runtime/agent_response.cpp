// AgentRun's response pipeline (agent-runtime.md §5): counter, SSE start, prompt, streamed LLM request, SSE end or
// error, post-processing, the reply's memory row and message event, routing the reply, completing the activity.
#include <string_view>

#include "common/ids.h"
#include "common/time_util.h"
#include "processor/runtime/agent_run.h"
#include "processor/runtime/reply_postprocessor.h"
#include "processor/runtime/text_util.h"

namespace aw::processor {

void AgentRun::respond(const ScheduledResponse& response) {
  AgentState& agent = agents_[response.agent];
  const std::string& agent_id = agent.snapshot->id;
  activity_.begin(agent_id);

  // §3.4: exactly +1 before the response's first request, kept even if the call fails.
  const std::string now = iso8601_ms(now_ms());
  ++agent.llm_call_count;
  agent.last_llm_call = now;
  agent.last_active = now;
  agent.changed = true;

  const std::string reply_id = new_message_id();  // X: shared by every event and row of this response
  emit(EventType::Sse, sse_start_payload(agent_id, reply_id));

  std::string raw;
  LlmResult result = call_llm(agent, response.message, reply_id, raw);
  if (control_.is_silenced()) return;  // world deleted or stale: not even the error goes out

  if (!result.ok) {
    // An aborted request reports the abort's text, whatever the transport made of the closed connection.
    const bool aborted = control_.token().is_cancelled();
    const std::string error = aborted ? control_.token().reason() : result.error_text;
    emit(EventType::Sse, sse_error_payload(agent_id, error, reply_id));
    if (!aborted) {
      // [compat] the error also reaches clients as a system event of the run chat. A cancel or deadline is not an
      // LLM failure: its SSE error and the run's terminal status say enough.
      emit(EventType::System, system_error_payload(error, iso8601_ms(now_ms()), new_message_id(), item_.chat_id));
    }
    options_.logger.warn("agent response failed", {{"world", item_.world_id},
                                                   {"run", item_.run_id},
                                                   {"attempt", item_.attempt},
                                                   {"agent", agent_id},
                                                   {"reply", reply_id},
                                                   {"error", error}});
  } else {
    emit(EventType::Sse, sse_end_payload(agent_id, reply_id, result.usage));
    // A provider that reported the text without deltas (not streamed) still yields its reply.
    finish_reply(response.agent, response.message, reply_id, raw.empty() ? result.text : raw);
  }
  complete_activity(agent_id);
}

LlmResult AgentRun::call_llm(const AgentState& agent, const IncomingMessage& message, const std::string& reply_id,
                             std::string& raw) {
  const AgentSnapshot& snapshot = *agent.snapshot;
  static const std::vector<MemoryRow> kNoHistory;
  auto history = item_.history.find(snapshot.id);
  const std::vector<RoutingAgentView> views = routing_views();

  PromptInput input;
  input.agent = &snapshot;
  input.agents = &views;
  input.stored_history = history == item_.history.end() ? &kNoHistory : &history->second;
  input.attempt_rows = &attempt_rows_;
  input.message = &message;
  input.window = item_.history_window;

  LlmRequest request;
  request.provider = snapshot.provider;
  request.model = snapshot.model;
  request.messages = build_prompt(input);
  request.temperature = snapshot.temperature;
  request.max_tokens = snapshot.max_tokens;
  request.stream = true;
  request.timeout = options_.llm_timeout;

  const CancelToken& token = control_.token();
  activity_.set_llm_in_flight(true);
  LlmResult result = llm_.complete(
      request,
      [&](std::string_view delta) {
        // No chunk may follow the response's error: once the run is aborted, late deltas are dropped.
        if (delta.empty() || token.is_cancelled()) return;
        raw.append(delta.data(), delta.size());
        emit(EventType::Sse, sse_chunk_payload(snapshot.id, delta, reply_id), /*is_chunk=*/true);
      },
      token);
  activity_.set_llm_in_flight(false);
  return result;
}

void AgentRun::finish_reply(std::size_t agent, const IncomingMessage& message, const std::string& reply_id,
                            const std::string& raw) {
  const std::string& agent_id = agents_[agent].snapshot->id;
  ReplyContext context;
  context.agent_id = agent_id;
  context.message_sender = message.sender;
  context.sender_is_human = classify_sender(message.sender, routing_views()) == SenderKind::Human;
  std::string text = postprocess_reply(raw, context);
  if (is_blank(text)) return;  // §5 step 7: nothing published, no assistant row

  const std::string now = iso8601_ms(now_ms());
  const std::optional<std::string> parent = reply_chain_.checked_parent(reply_id, message.message_id);

  MemoryRow row;
  row.agent_id = agent_id;
  row.chat_id = item_.chat_id;
  row.role = "assistant";
  row.content = text;
  row.sender = agent_id;
  row.message_id = reply_id;
  row.reply_to_message_id = parent;
  row.created_at = now;
  attempt_rows_.push_back(std::move(row));

  ChatMessage reply;
  reply.content = std::move(text);
  reply.sender = agent_id;
  reply.timestamp = now;
  reply.message_id = reply_id;
  reply.chat_id = item_.chat_id;
  reply.reply_to_message_id = parent;
  publish_message(reply);

  // §4.1 step 4: routed before this response's activity completes, so pending never drops to 0 mid-chain. After an
  // abort nothing new is scheduled: the reply is kept, the chain ends here.
  if (!control_.is_aborted()) route({reply.message_id, reply.content, reply.sender, reply.reply_to_message_id});
}

void AgentRun::complete_activity(const std::string& agent_id) {
  // On abort the waiting responses go first, silently, so this completion is the one that reaches 0 (the idle).
  if (control_.is_aborted()) drop_waiting_responses();
  emit_activity(activity_.complete(agent_id));
}

}  // namespace aw::processor
