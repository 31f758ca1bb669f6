// Abort and deadline handling of one attempt (see run_control.h).
#include "processor/runtime/run_control.h"

namespace aw::processor {

std::string run_timeout_text(std::int64_t deadline_ms) {
  std::string seconds = std::to_string(deadline_ms / 1000);
  std::int64_t millis = deadline_ms % 1000;
  if (millis != 0) {
    std::string fraction = std::to_string(1000 + millis).substr(1);  // zero-padded to 3 digits
    while (fraction.back() == '0') fraction.pop_back();
    seconds += "." + fraction;
  }
  return "Run timed out after " + seconds + " s";
}

void RunControl::abort(AbortCause cause) {
  const bool silent = cause == AbortCause::WorldDeleted || cause == AbortCause::Stale;
  {
    std::lock_guard<std::mutex> lock(abort_mutex_);
    if (silent) silenced_.store(true);
    // Only the first abort decides the outcome and the token's reason; later ones can still silence the attempt.
    if (aborted_.load()) return;
    timed_out_ = cause == AbortCause::Deadline;
    aborted_.store(true);
  }
  // Outside the lock: cancelling runs the token's callbacks (closing an HTTP connection, waking a waiter).
  CancelToken token = token_;
  token.cancel(cause == AbortCause::Deadline ? run_timeout_text(deadline_ms_) : std::string("Cancelled"));
}

CommitOutcome RunControl::outcome() const {
  std::lock_guard<std::mutex> lock(abort_mutex_);
  if (!aborted_.load()) return CommitOutcome::Completed;
  return timed_out_ ? CommitOutcome::RunTimeout : CommitOutcome::Cancelled;
}

void RunControl::arm_deadline(std::chrono::steady_clock::time_point granted_at) {
  disarm_deadline();
  const auto deadline = granted_at + std::chrono::milliseconds(deadline_ms_);
  // Already past (a grant long ago): abort here, so the run sees it before its first step, not whenever the
  // watchdog's thread gets scheduled.
  if (deadline <= std::chrono::steady_clock::now()) {
    abort(AbortCause::Deadline);
    return;
  }
  deadline_id_ = DeadlineWatchdog::shared().arm(deadline, [this] { abort(AbortCause::Deadline); });
}

void RunControl::disarm_deadline() {
  if (deadline_id_ == 0) return;
  DeadlineWatchdog::shared().disarm(deadline_id_);
  deadline_id_ = 0;
}

}  // namespace aw::processor
