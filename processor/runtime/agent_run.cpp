// AgentRun: the attempt's main loop, routing, abort handling and the commit (see agent_run.h).
// The response pipeline itself is in agent_response.cpp.
#include "processor/runtime/agent_run.h"

#include "common/ids.h"
#include "common/time_util.h"

namespace aw::processor {

AgentRun::AgentRun(WorkItem item, LlmClient& llm, EventSink& sink, RunOptions options)
    : item_(std::move(item)), llm_(llm), sink_(sink), options_(std::move(options)), control_(item_.deadline_ms) {
  agents_.reserve(item_.agents.size());
  for (const AgentSnapshot& snapshot : item_.agents) {
    AgentState state;
    state.snapshot = &snapshot;
    state.llm_call_count = snapshot.llm_call_count;
    state.last_llm_call = snapshot.last_llm_call;
    state.last_active = snapshot.last_active;
    agents_.push_back(std::move(state));
  }
  activity_context_.activity_id = item_.activity_id;
  activity_context_.run_id = item_.run_id;
  activity_context_.world_id = item_.world_id;
  activity_context_.max_queue_size = options_.llm_queue_max;

  // Parent links for the replyToMessageId rule: what the prompts show plus the trigger (a root for the run).
  reply_chain_.add(item_.trigger.message_id, std::nullopt);
  for (const auto& [agent_id, rows] : item_.history) {
    for (const MemoryRow& row : rows) reply_chain_.add(row.message_id, row.reply_to_message_id);
  }
}

std::optional<Commit> AgentRun::execute() {
  if (executed_) return std::nullopt;  // a second call would repeat the attempt's events
  executed_ = true;
  const auto logger = options_.logger;
  logger.info("run started", {{"world", item_.world_id},
                              {"run", item_.run_id},
                              {"attempt", item_.attempt},
                              {"agents", static_cast<std::int64_t>(agents_.size())}});
  control_.arm_deadline(options_.granted_at.value_or(std::chrono::steady_clock::now()));

  // A cancel that arrived before the first step: nothing is routed, the attempt only reports its idle.
  if (!control_.is_aborted()) {
    route({item_.trigger.message_id, item_.trigger.content, item_.trigger.sender, std::nullopt});
  }
  while (!queue_.empty() && !control_.is_silenced()) {
    if (control_.is_aborted()) {
      drop_waiting_responses();
      break;
    }
    ScheduledResponse next = std::move(queue_.front());
    queue_.pop_front();
    --agents_[next.agent].scheduled_not_started;
    respond(next);
  }
  control_.disarm_deadline();
  if (control_.is_silenced()) {
    logger.info("run stopped without commit",
                {{"world", item_.world_id}, {"run", item_.run_id}, {"attempt", item_.attempt}});
    return std::nullopt;
  }
  // Nobody answered, or the last responses were dropped by an abort: the single idle is still owed.
  if (!idle_emitted_) emit_activity(activity_.idle(last_dropped_agent_));

  Commit commit = build_commit();
  logger.info("run finished", {{"world", item_.world_id},
                               {"run", item_.run_id},
                               {"attempt", item_.attempt},
                               {"outcome", std::string(commit_outcome_name(commit.outcome))},
                               {"messages", static_cast<std::int64_t>(commit.messages.size())},
                               {"events", next_index_}});
  return commit;
}

std::vector<RoutingAgentView> AgentRun::routing_views() const {
  std::vector<RoutingAgentView> views;
  views.reserve(agents_.size());
  for (const AgentState& a : agents_) {
    views.push_back({a.snapshot->id, a.llm_call_count, a.scheduled_not_started, a.notice_published});
  }
  return views;
}

void AgentRun::route(const IncomingMessage& message) {
  const RoutingPlan plan = plan_routing(message.sender, message.content, routing_views(), item_.world.turn_limit);
  if (plan.reset_counters) {
    for (AgentState& a : agents_) {
      if (a.llm_call_count != 0) {
        a.llm_call_count = 0;
        a.changed = true;
      }
    }
  }
  for (std::size_t i = 0; i < plan.decisions.size(); ++i) {
    switch (plan.decisions[i]) {
      case AgentDecision::Respond:
        schedule(i, message);
        break;
      case AgentDecision::TurnLimitNotice:
        publish_notice(i, message);
        break;
      case AgentDecision::Skip:
        break;
    }
  }
}

void AgentRun::schedule(std::size_t agent, const IncomingMessage& message) {
  AgentState& a = agents_[agent];
  // §11: the incoming row of a message the agent decided to answer.
  MemoryRow row;
  row.agent_id = a.snapshot->id;
  row.chat_id = item_.chat_id;
  row.role = "user";
  row.content = message.content;
  row.sender = message.sender;
  row.message_id = message.message_id;
  row.reply_to_message_id = message.reply_to_message_id;
  row.created_at = iso8601_ms(now_ms());
  attempt_rows_.push_back(std::move(row));

  ++a.scheduled_not_started;
  queue_.push_back({agent, message});
  emit_activity(activity_.schedule(a.snapshot->id));
}

void AgentRun::publish_notice(std::size_t agent, const IncomingMessage& message) {
  AgentState& a = agents_[agent];
  a.notice_published = true;
  ChatMessage notice;
  notice.content = turn_limit_notice_text(item_.world.turn_limit);
  notice.sender = a.snapshot->id;
  notice.timestamp = iso8601_ms(now_ms());
  notice.message_id = new_message_id();
  notice.chat_id = item_.chat_id;
  notice.reply_to_message_id = reply_chain_.checked_parent(notice.message_id, message.message_id);
  publish_message(notice);
  // Routed like every published message; §3.3 step 1 makes nobody answer it.
  route({notice.message_id, notice.content, notice.sender, notice.reply_to_message_id});
}

void AgentRun::publish_message(const ChatMessage& message) {
  reply_chain_.add(message.message_id, message.reply_to_message_id);
  messages_.push_back(message);
  emit(EventType::Message, chat_message_json(message));
}

void AgentRun::drop_waiting_responses() {
  // Dropped responses complete silently (§4.4); the idle that follows names the last of them.
  std::vector<std::string> dropped = activity_.drop_waiting();
  if (!dropped.empty()) last_dropped_agent_ = dropped.back();
  queue_.clear();
  for (AgentState& a : agents_) a.scheduled_not_started = 0;
}

void AgentRun::emit(EventType type, std::string payload, bool is_chunk) {
  // A silenced attempt publishes nothing more. An event being published while abort() runs on another thread may
  // still go out; the bus worker's fencing (it stops forwarding the attempt) covers that window.
  if (control_.is_silenced()) return;
  RuntimeEvent event;
  event.type = type;
  event.payload_json = std::move(payload);
  event.chat_id = item_.chat_id;
  event.index = next_index_++;
  event.is_chunk = is_chunk;
  sink_.publish(std::move(event));
}

void AgentRun::emit_activity(const ActivitySnapshot& activity) {
  if (activity.type == ActivityType::Idle) {
    idle_emitted_ = true;
    // The outcome is what held when the attempt went idle: a cancel arriving after that finds nothing to stop.
    outcome_at_idle_ = control_.outcome();
  }
  emit(EventType::World,
       world_activity_payload(activity, activity_context_, iso8601_ms(now_ms()), new_activity_event_id()));
}

Commit AgentRun::build_commit() const {
  Commit commit;
  commit.world_id = item_.world_id;
  commit.run_id = item_.run_id;
  commit.attempt = item_.attempt;
  commit.last_index = next_index_ - 1;
  commit.outcome = outcome_at_idle_;
  commit.messages = messages_;
  commit.memory = attempt_rows_;
  for (const AgentState& a : agents_) {
    if (!a.changed) continue;
    commit.agents.push_back({a.snapshot->id, a.snapshot->rev, a.llm_call_count, a.last_llm_call, a.last_active});
  }
  return commit;
}

}  // namespace aw::processor
