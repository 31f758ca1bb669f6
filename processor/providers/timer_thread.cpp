// TimerThread (see timer_thread.h).
#include "processor/providers/timer_thread.h"

namespace aw::processor::providers {

TimerThread::TimerThread() : thread_([this] { run(); }) {}

TimerThread::~TimerThread() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

TimerThread::Id TimerThread::schedule_at(Clock::time_point when, std::function<void()> fn) {
  Id id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    id = next_id_++;
    timers_.emplace(std::make_pair(when, id), std::move(fn));
    deadline_of_.emplace(id, when);
  }
  wake_.notify_all();
  return id;
}

void TimerThread::cancel(Id id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = deadline_of_.find(id);
  if (it == deadline_of_.end()) return;
  timers_.erase(std::make_pair(it->second, id));
  deadline_of_.erase(it);
}

void TimerThread::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (timers_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto first = timers_.begin();
    // A copy: wait_until reads the deadline again after waking, and cancel() may have erased the entry by then.
    const Clock::time_point deadline = first->first.first;
    if (Clock::now() < deadline) {
      wake_.wait_until(lock, deadline);
      continue;  // re-check: an earlier timer may have arrived, or this one was cancelled
    }
    std::function<void()> fn = std::move(first->second);
    deadline_of_.erase(first->first.second);
    timers_.erase(first);
    // Never call out while holding the lock: fn may cancel a request, whose code may call cancel() here.
    lock.unlock();
    fn();
    lock.lock();
  }
}

}  // namespace aw::processor::providers
