// The shared deadline thread (see deadline_watchdog.h).
#include "common/deadline_watchdog.h"

namespace aw {

DeadlineWatchdog& DeadlineWatchdog::shared() {
  static DeadlineWatchdog* const watchdog = new DeadlineWatchdog();  // never deleted: see the header
  return *watchdog;
}

DeadlineWatchdog::DeadlineWatchdog() : thread_([this] { run(); }) {}

DeadlineWatchdog::~DeadlineWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

DeadlineWatchdog::Id DeadlineWatchdog::arm(Clock::time_point when, std::function<void()> fn) {
  Id id = 0;
  bool earliest = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    id = next_id_++;
    timers_.emplace(std::make_pair(when, id), std::move(fn));
    deadline_of_.emplace(id, when);
    earliest = timers_.begin()->first.second == id;
  }
  // Only a new earliest deadline changes how long the thread must sleep.
  if (earliest) wake_.notify_all();
  return id;
}

void DeadlineWatchdog::disarm(Id id) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto found = deadline_of_.find(id);
  if (found != deadline_of_.end()) {
    timers_.erase(std::make_pair(found->second, id));
    deadline_of_.erase(found);
    return;
  }
  // Already taken by the thread: wait until its callback has returned (unless this is that callback).
  if (std::this_thread::get_id() == thread_.get_id()) return;
  finished_.wait(lock, [&] { return running_ != id; });
}

void DeadlineWatchdog::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (timers_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto next = timers_.begin();
    // A copy: disarm() may erase the entry (and its key) while the wait has released the lock.
    const Clock::time_point when = next->first.first;
    if (Clock::now() < when) {
      wake_.wait_until(lock, when);
      continue;
    }
    const Id id = next->first.second;
    std::function<void()> fn = std::move(next->second);
    timers_.erase(next);
    deadline_of_.erase(id);
    running_ = id;
    lock.unlock();
    fn();
    lock.lock();
    running_ = 0;
    finished_.notify_all();
  }
}

}  // namespace aw
