// TimerThread: runs callbacks at deadlines on one background thread. CpprestStreamClient uses it to enforce each
// request's total timeout, which cpprest cannot do (its timeout is per read).
// Thread-safety: schedule() and cancel() may be called from any thread. Callbacks run on the timer's thread, one at
// a time, and must be short (they only flag and abort a request).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace aw::processor::providers {

class TimerThread {
 public:
  using Clock = std::chrono::steady_clock;
  using Id = std::uint64_t;

  TimerThread();
  // Joins the thread; callbacks not yet due never run.
  ~TimerThread();
  TimerThread(const TimerThread&) = delete;
  TimerThread& operator=(const TimerThread&) = delete;

  // Runs fn at (or shortly after) `when`. Returns an id for cancel().
  Id schedule_at(Clock::time_point when, std::function<void()> fn);
  // After this returns, fn does not start; if it is running right now it may still finish, so fn must only touch
  // state it owns (capture shared_ptrs, not `this` of a short-lived object). Unknown ids are ignored.
  void cancel(Id id);

 private:
  void run();

  std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  // Keyed by (deadline, id) so equal deadlines keep their order and cancel() can find an entry by id.
  std::map<std::pair<Clock::time_point, Id>, std::function<void()>> timers_;
  std::map<Id, Clock::time_point> deadline_of_;
  Id next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace aw::processor::providers
