// BusWorker: the processor's side of the bus (bus-protocol.md §1-§9). It owns the three ZeroMQ sockets and runs
// their loop on the calling thread (the bus thread): hello until welcome, then PULL and heartbeats; credit
// (WS_MAX_CONCURRENT slots); accept -> grant/deny; each granted attempt and title job runs the agent runtime on a
// thread of a RunThreadPool (WS_MAX_CONCURRENT threads, kept); events and commits out on PUB; commit re-sends until
// commit-ack; cancel; title jobs; graceful shutdown.
//
// Threading: the SUB and PULL sockets are used by the bus thread only. The PUB socket is shared under pub_mutex_
// (libzmq allows a socket to move between threads behind a full memory barrier): the bus thread sends hello, hb,
// accept, commits and title results, and each run thread sends its own attempt's events at once
// (PublishingEventSink), unless the bus thread silenced the attempt (the flag is set under the same lock, so no
// event leaves after the cancel was handled). Everything else a run or title thread has to say goes as a task to a
// BusTaskQueue (bus_task_queue.h) whose eventfd wakes the loop. Attempt and title bookkeeping is bus-thread state;
// a job's last act is to post its "finished" task (after sending all its events), and it touches nothing of its attempt
// after that, so the attempt is removed when that task runs and a task never sees a removed attempt. abandon_all()
// waits for the pool to be idle before it frees anything.
// Signals: the caller blocks SIGINT/SIGTERM in every thread and passes a signalfd; either one starts the shutdown
// of §8 (close PULL, hb slots:0, let attempts finish for AW_SHUTDOWN_GRACE_MS, then return 0).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "common/bus/bus_codec.h"
#include "common/log.h"
#include "processor/llm/llm_client.h"
#include "processor/runtime/agent_run.h"
#include "processor/runtime/title_job.h"
#include "processor/worker/bus_task_queue.h"
#include "processor/worker/publishing_event_sink.h"
#include "processor/worker/run_thread_pool.h"
#include "processor/worker/worker_settings.h"

namespace aw::processor::worker {

// Before the welcome, `hello` repeats at this period (§3).
inline constexpr std::chrono::milliseconds kHelloPeriod{1000};
// An accepted work item without grant or deny within this time is dropped silently (§5).
inline constexpr std::chrono::milliseconds kGrantWait{2000};
// Heartbeat period until a welcome names one (the gateway default of WS_PROCESSOR_HEARTBEAT).
inline constexpr std::chrono::milliseconds kDefaultHeartbeat{5000};
// ZMQ_LINGER of every socket: commits and results still queued at exit get this long to leave (§1: <= 1000 ms).
inline constexpr int kLingerMs = 1000;

class BusWorker {
 public:
  // `llm` is borrowed and must outlive run(); it is called from several run threads at once.
  // `run_options` is the template of every attempt's options (timeouts, logger); granted_at is set per attempt.
  BusWorker(WorkerSettings settings, LlmClient& llm, RunOptions run_options, Logger logger, std::string processor_id);
  ~BusWorker();
  BusWorker(const BusWorker&) = delete;
  BusWorker& operator=(const BusWorker&) = delete;

  // Runs the loop until the shutdown has finished; returns the process exit status (0, or 1 when ZeroMQ failed).
  int run(int signal_fd);

 private:
  using Clock = std::chrono::steady_clock;

  struct Attempt {
    enum class Phase { AwaitingGrant, Running, AwaitingAck };
    bus::Work work;
    Phase phase = Phase::AwaitingGrant;
    bool holds_slot = true;  // until its first commit is sent (or it is dropped)
    // cancel world_deleted/stale: nothing more leaves for this attempt. Written by the bus thread under pub_mutex_;
    // read by the attempt's run thread under pub_mutex_ (publish_event), by the bus thread freely.
    bool silenced = false;
    Clock::time_point accept_deadline;
    std::optional<WorkItem> item;  // the runtime's copy of `work`, made while the grant is awaited
    std::unique_ptr<PublishingEventSink> sink;
    std::unique_ptr<AgentRun> run;
    std::optional<bus::Frame> commit;
    Clock::time_point next_resend;
    Clock::time_point give_up_at;
    bool matches(const std::string& world_id, const std::string& run_id, std::int64_t attempt) const {
      return work.world_id == world_id && work.run_id == run_id && work.attempt == attempt;
    }
  };
  struct TitleTask {
    TitleJob job;
    CancelToken cancel;
  };

  // Loop and handshake (bus_worker.cpp).
  void open_sockets();
  void connect_pull();
  void close_pull();
  void poll_once();
  void run_timers(Clock::time_point now);
  std::chrono::milliseconds time_to_next_timer(Clock::time_point now) const;
  void read_ctl();
  void read_work();
  void handle_signal(int signal_fd);
  void begin_shutdown();
  bool shutdown_done() const;
  // Sends on PUB under pub_mutex_; any thread.
  void send(const bus::Frame& frame);
  void send_locked(const bus::Frame& frame);
  void send_hello();
  void send_heartbeat();
  // Sends a hb at once when the free slots differ from the last reported value (§3.4).
  void report_slots();
  std::int64_t free_slots() const;
  void handle_welcome(const bus::Welcome& welcome);
  // A work/title in a `v` this build does not speak: answer it, then handshake again (§3.5).
  void handle_foreign_version(const std::string& topic, const std::string& body);

  // Work, grant, runs, commits, cancel, titles (bus_worker_runs.cpp).
  void handle_work(bus::Work work);
  void handle_grant(const bus::Grant& grant);
  void handle_deny(const bus::Deny& deny);
  void handle_commit_ack(const bus::CommitAck& ack);
  void handle_cancel(const bus::Cancel& cancel);
  void handle_title(const bus::Title& title);
  void start_attempt(Attempt& attempt, Clock::time_point granted_at);
  void on_attempt_finished(Attempt* attempt, std::optional<bus::Frame> commit);
  void on_title_finished(TitleTask* task, const bus::Frame& result);
  // An attempt's event, from its run thread: sent unless the attempt is silenced.
  void publish_event(const Attempt* attempt, const bus::Frame& frame);
  void silence_attempt(Attempt& attempt);
  void expire_accepts(Clock::time_point now);
  void resend_commits(Clock::time_point now);
  void remove_attempt(const Attempt* attempt);
  // Shutdown grace spent: silence every attempt and cancel every title, then wait until their jobs have ended.
  void abandon_all();

  const WorkerSettings settings_;
  LlmClient& llm_;
  const RunOptions run_options_;
  const Logger logger_;
  const std::string id_;

  zmq::context_t context_;
  std::mutex pub_mutex_;               // guards events_ and Attempt::silenced writes
  zmq::socket_t events_;               // PUB
  zmq::socket_t ctl_;                  // SUB
  std::optional<zmq::socket_t> work_;  // PULL, connected only while welcomed
  BusTaskQueue tasks_;
  RunThreadPool pool_;  // after tasks_: destroyed first, its jobs post to tasks_

  bool welcomed_ = false;
  std::string gateway_id_;
  std::chrono::milliseconds heartbeat_{kDefaultHeartbeat};
  Clock::time_point next_hello_;
  Clock::time_point next_hb_;
  std::int64_t reported_slots_ = -1;
  bool shutting_down_ = false;
  Clock::time_point shutdown_deadline_;
  bool stop_ = false;

  std::vector<std::unique_ptr<Attempt>> attempts_;
  std::vector<std::unique_ptr<TitleTask>> titles_;
};

}  // namespace aw::processor::worker
