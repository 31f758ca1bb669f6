// DeadlineWatchdog: one thread that runs callbacks at deadlines. The processor's runs share one (shared()) for
// their deadlines (RunControl): a thread per attempt cost about 25 µs to start and join per run on this machine,
// with a scheduling tail of milliseconds under load (bench/aw_runtime_bench, docs/benchmarks.md); a shared thread
// waiting on the earliest deadline costs a map insert and erase. CpprestStreamClient keeps its own for each
// request's total timeout, which cpprest cannot enforce (its timeout is per read).
// Thread-safety: arm() and disarm() may be called from any thread. Callbacks run on the watchdog's thread, one at
// a time, and must be short (they only cancel a token or abort a request).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace aw {

class DeadlineWatchdog {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = std::uint64_t;

  // The process's watchdog, started on first use. It is never destroyed (a run may still disarm during static
  // destruction at exit), so its thread ends with the process.
  static DeadlineWatchdog& shared();

  DeadlineWatchdog();
  // Stops and joins the thread; callbacks not yet due never run.
  ~DeadlineWatchdog();
  DeadlineWatchdog(const DeadlineWatchdog&) = delete;
  DeadlineWatchdog& operator=(const DeadlineWatchdog&) = delete;

  // Runs fn at (or shortly after) `when`. Returns an id for disarm(); never 0.
  Id arm(Clock::time_point when, std::function<void()> fn);
  // After this returns fn has either finished or will never start, so fn may capture a short-lived `this`; called
  // from a callback (on the watchdog's thread) it does not wait. Unknown or already fired ids are fine.
  void disarm(Id id);

 private:
  void run();

  std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  // Keyed by (deadline, id) so equal deadlines keep their order; deadline_of_ finds an entry by id.
  std::map<std::pair<Clock::time_point, Id>, std::function<void()>> timers_;
  std::map<Id, Clock::time_point> deadline_of_;
  Id next_id_ = 1;
  Id running_ = 0;  // the id whose callback runs right now, 0 when none
  std::condition_variable finished_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace aw
