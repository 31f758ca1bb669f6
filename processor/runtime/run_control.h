// RunControl: how an attempt is stopped from outside (agent-runtime.md §4.4, bus-protocol.md §8).
// It owns the run-level CancelToken that every LLM request of the attempt carries, remembers why the attempt was
// aborted, and runs the deadline watchdog (the attempt's `deadlineMs`, counted from the grant).
//  - Cancelled / ChatDeleted: token reason "Cancelled"; the attempt winds down and commits with outcome cancelled.
//  - Deadline: token reason "Run timed out after <n> s"; the attempt winds down and commits with run_timeout.
//  - WorldDeleted / Stale: the attempt is *silenced*: it stops at once and publishes nothing more, no commit.
// The first Cancelled/ChatDeleted/Deadline decides the outcome; WorldDeleted/Stale silence the attempt whatever
// happened before.
// Thread-safety: abort() and the queries may be called from any thread; arm/disarm from the run thread. The
// deadline is kept by the process-wide DeadlineWatchdog (deadline_watchdog.h), not by a thread per attempt.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "common/deadline_watchdog.h"
#include "processor/llm/llm_client.h"
#include "processor/runtime/commit.h"

namespace aw::processor {

enum class AbortCause { Cancelled, ChatDeleted, WorldDeleted, Stale, Deadline };

// "Run timed out after 600 s" for 600000 ms; fractions are kept ("after 0.25 s").
std::string run_timeout_text(std::int64_t deadline_ms);

class RunControl {
 public:
  explicit RunControl(std::int64_t deadline_ms) : deadline_ms_(deadline_ms) {}
  ~RunControl() { disarm_deadline(); }
  RunControl(const RunControl&) = delete;
  RunControl& operator=(const RunControl&) = delete;

  // Any thread, any number of times. Cancels the token (aborting the in-flight request) on the first call.
  void abort(AbortCause cause);

  // Starts the watchdog: abort(Deadline) at `granted_at + deadline_ms` unless disarmed first.
  void arm_deadline(std::chrono::steady_clock::time_point granted_at);
  // Cancels the deadline; after it returns no abort(Deadline) is running or will start. Idempotent.
  void disarm_deadline();

  const CancelToken& token() const { return token_; }
  bool is_aborted() const { return aborted_.load(); }
  bool is_silenced() const { return silenced_.load(); }
  // Completed while not aborted; otherwise the outcome of the first cancel or deadline.
  CommitOutcome outcome() const;

 private:
  const std::int64_t deadline_ms_;
  CancelToken token_;
  mutable std::mutex abort_mutex_;     // guards timed_out_ and the writes of aborted_ and silenced_
  std::atomic<bool> aborted_{false};   // read without the lock by the run thread's checks
  std::atomic<bool> silenced_{false};  // idem
  bool timed_out_ = false;             // the first abort was the deadline

  DeadlineWatchdog::Id deadline_id_ = 0;  // run thread only (arm/disarm); 0 when not armed
};

}  // namespace aw::processor
