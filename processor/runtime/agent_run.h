// AgentRun: one attempt of a run (agent-runtime.md §4.1): routes the trigger, answers the response queue FIFO with
// one LLM request at a time, routes every published reply, emits the run-scoped activity events and the single
// idle, and returns the commit. Cancellation and the deadline arrive through abort() (§4.4).
//
// Threading: execute() runs the whole attempt on the calling thread (the run's worker thread); the LlmClient blocks
// that thread per request and delivers deltas on it, so the run's state needs no lock. abort() may be called from
// any thread at any time; the deadline fires on the shared DeadlineWatchdog thread. Events go to the EventSink from the
// run thread only, in index order.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "processor/llm/llm_client.h"
#include "processor/runtime/activity_tracker.h"
#include "processor/runtime/commit.h"
#include "processor/runtime/event_payloads.h"
#include "processor/runtime/prompt_builder.h"
#include "processor/runtime/reply_chain.h"
#include "processor/runtime/router.h"
#include "processor/runtime/run_control.h"
#include "processor/runtime/runtime_event.h"
#include "processor/runtime/work_item.h"

namespace aw::processor {

// What a run takes from the processor's settings. The AW_LLM_CONCURRENCY limit itself lives in the LlmClient
// (providers' ConcurrencyLimitedClient), so a run just calls complete().
struct RunOptions {
  std::chrono::milliseconds llm_timeout{120000};  // AW_LLM_TIMEOUT_MS, passed on every LlmRequest
  std::int64_t llm_queue_max = 100;               // AW_LLM_QUEUE_MAX, reported as `maxQueueSize`
  // Start of the deadline (`deadlineMs` counts from the grant); unset = when execute() starts.
  std::optional<std::chrono::steady_clock::time_point> granted_at;
  Logger logger;
};

class AgentRun {
 public:
  // `llm` and `sink` are borrowed and must outlive execute().
  AgentRun(WorkItem item, LlmClient& llm, EventSink& sink, RunOptions options);
  AgentRun(const AgentRun&) = delete;
  AgentRun& operator=(const AgentRun&) = delete;

  // Runs the attempt and returns its commit, or nullopt when abort(WorldDeleted | Stale) silenced it (then nothing
  // more may be sent for this attempt). Requires: called once.
  std::optional<Commit> execute();

  // Any thread, any time (also before execute()). See RunControl for what each cause does.
  void abort(AbortCause cause) { control_.abort(cause); }

 private:
  struct AgentState {
    const AgentSnapshot* snapshot = nullptr;
    std::int64_t llm_call_count = 0;
    std::optional<std::string> last_llm_call;
    std::optional<std::string> last_active;
    std::int64_t scheduled_not_started = 0;
    bool notice_published = false;
    bool changed = false;  // goes into the commit's `agents`
  };
  struct ScheduledResponse {
    std::size_t agent = 0;
    IncomingMessage message;
  };

  // Routing (agent_run.cpp).
  std::vector<RoutingAgentView> routing_views() const;
  void route(const IncomingMessage& message);
  void schedule(std::size_t agent, const IncomingMessage& message);
  void publish_notice(std::size_t agent, const IncomingMessage& message);
  void publish_message(const ChatMessage& message);

  // The response pipeline of §5 (agent_response.cpp).
  void respond(const ScheduledResponse& response);
  LlmResult call_llm(const AgentState& agent, const IncomingMessage& message, const std::string& reply_id,
                     std::string& raw);
  void finish_reply(std::size_t agent, const IncomingMessage& message, const std::string& reply_id,
                    const std::string& raw);
  void complete_activity(const std::string& agent_id);

  // Abort handling and output.
  void drop_waiting_responses();
  void emit(EventType type, std::string payload, bool is_chunk = false);
  void emit_activity(const ActivitySnapshot& activity);
  Commit build_commit() const;

  const WorkItem item_;
  LlmClient& llm_;
  EventSink& sink_;
  const RunOptions options_;
  RunControl control_;

  // Run-thread state.
  std::vector<AgentState> agents_;  // creation order
  std::deque<ScheduledResponse> queue_;
  ActivityTracker activity_;
  ActivityContext activity_context_;
  ReplyChain reply_chain_;
  std::vector<MemoryRow> attempt_rows_;  // memory rows of this attempt, insertion order
  std::vector<ChatMessage> messages_;    // published message events, in order
  std::int64_t next_index_ = 0;
  bool idle_emitted_ = false;
  CommitOutcome outcome_at_idle_ = CommitOutcome::Completed;
  std::optional<std::string> last_dropped_agent_;
  bool executed_ = false;
};

}  // namespace aw::processor
