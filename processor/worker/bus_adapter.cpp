#include "processor/worker/bus_adapter.h"

#include <set>
#include <string>

#include "processor/runtime/run_records.h"

namespace aw::processor::worker {
namespace {

MemoryRow memory_row_from_bus(const bus::MemoryRow& row) {
  return MemoryRow{row.agent_id,
                   row.chat_id,
                   row.role,
                   row.content,
                   row.sender.value_or(""),
                   row.message_id,
                   row.reply_to_message_id,
                   row.created_at};
}

bus::MemoryRow memory_row_to_bus(const MemoryRow& row) {
  bus::MemoryRow out;
  out.agent_id = row.agent_id;
  out.chat_id = row.chat_id;
  out.role = row.role;
  out.content = row.content;
  out.sender = row.sender;
  out.message_id = row.message_id;
  out.reply_to_message_id = row.reply_to_message_id;
  out.created_at = row.created_at;
  return out;
}

bus::CommitOutcome outcome_to_bus(CommitOutcome outcome) {
  switch (outcome) {
    case CommitOutcome::Completed:
      return bus::CommitOutcome::Completed;
    case CommitOutcome::Cancelled:
      return bus::CommitOutcome::Cancelled;
    case CommitOutcome::RunTimeout:
      return bus::CommitOutcome::RunTimeout;
  }
  return bus::CommitOutcome::Completed;
}

}  // namespace

WorkItem work_item_from_bus(const bus::Work& work) {
  WorkItem item;
  item.dispatch_id = work.dispatch_id;
  item.world_id = work.world_id;
  item.run_id = work.run_id;
  item.attempt = work.attempt;
  item.chat_id = work.chat_id;
  item.activity_id = work.activity_id;
  item.heartbeat_ms = work.heartbeat_ms;
  item.lease_ms = work.lease_ms;
  item.deadline_ms = work.deadline_ms;
  item.history_window = work.history_window;
  item.trigger = Trigger{work.trigger.message_id, work.trigger.content, work.trigger.sender, work.trigger.created_at};
  item.world.id = work.world.id;
  item.world.name = work.world.name;
  item.world.turn_limit = work.world.turn_limit == 0 ? kDefaultTurnLimit : work.world.turn_limit;
  item.world.chat_llm_provider = work.world.chat_llm_provider;
  item.world.chat_llm_model = work.world.chat_llm_model;
  item.chat = ChatRef{work.chat.id, work.chat.name};
  std::set<std::string> agent_ids;
  for (const bus::WorkAgent& a : work.agents) {
    AgentSnapshot agent;
    agent.id = a.id;
    agent.name = a.name;
    agent.type = a.type;
    agent.provider = a.provider;
    agent.model = a.model;
    agent.system_prompt = a.system_prompt;
    agent.temperature = a.temperature;
    agent.max_tokens = a.max_tokens;
    agent.llm_call_count = a.llm_call_count;
    agent.last_llm_call = a.last_llm_call;
    if (!a.last_active.empty()) agent.last_active = a.last_active;
    agent.rev = a.rev;
    agent_ids.insert(a.id);
    item.agents.push_back(std::move(agent));
  }
  for (const auto& [agent_id, rows] : work.history) {
    if (agent_ids.count(agent_id) == 0) continue;  // nothing could read them
    auto& out = item.history[agent_id];
    for (const bus::MemoryRow& row : rows) out.push_back(memory_row_from_bus(row));
  }
  return item;
}

TitleJob title_job_from_bus(const bus::Title& title) {
  TitleJob job;
  job.dispatch_id = title.dispatch_id;
  job.world_id = title.world_id;
  job.chat_id = title.chat_id;
  job.provider = title.provider;
  job.model = title.model;
  job.lines = title.lines;
  job.timeout_ms = title.timeout_ms;
  return job;
}

bus::Event event_to_bus(const RuntimeEvent& event, const AttemptIdentity& identity) {
  bus::Event out;
  out.processor_id = identity.processor_id;
  out.world_id = identity.world_id;
  out.chat_id = event.chat_id;
  out.run_id = identity.run_id;
  out.attempt = identity.attempt;
  out.index = event.index;
  out.event_type = std::string(event_type_name(event.type));
  out.payload_json = event.payload_json;
  return out;
}

bus::Commit commit_to_bus(const Commit& commit, std::string_view processor_id) {
  bus::Commit out;
  out.processor_id = std::string(processor_id);
  out.world_id = commit.world_id;
  out.run_id = commit.run_id;
  out.attempt = commit.attempt;
  out.last_index = commit.last_index;
  out.outcome = outcome_to_bus(commit.outcome);
  for (const ChatMessage& m : commit.messages) {
    bus::CommitMessage message;
    message.payload_json = chat_message_json(m);  // the same text as the message event's payload
    message.message_id = m.message_id;
    message.chat_id = m.chat_id;
    message.sender = m.sender;
    message.content = m.content;
    message.timestamp = m.timestamp;
    message.reply_to_message_id = m.reply_to_message_id;
    out.messages.push_back(std::move(message));
  }
  for (const MemoryRow& row : commit.memory) out.memory.push_back(memory_row_to_bus(row));
  for (const AgentCounters& a : commit.agents) {
    out.agents.push_back(bus::AgentCounters{a.id, a.rev, a.llm_call_count, a.last_llm_call, a.last_active});
  }
  return out;
}

bus::TitleResult title_result_to_bus(const TitleJob& job, const TitleResult& result, std::string_view processor_id) {
  bus::TitleResult out;
  out.processor_id = std::string(processor_id);
  out.dispatch_id = job.dispatch_id;
  out.world_id = job.world_id;
  out.chat_id = job.chat_id;
  out.title = result.title;
  if (!result.title) out.error = result.error.empty() ? std::string("title call failed") : result.error;
  return out;
}

}  // namespace aw::processor::worker
