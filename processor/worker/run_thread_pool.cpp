// RunThreadPool (see run_thread_pool.h).
#include "processor/worker/run_thread_pool.h"

#include <algorithm>
#include <utility>

namespace aw::processor::worker {

RunThreadPool::RunThreadPool(std::size_t max_threads) : max_threads_(std::max<std::size_t>(max_threads, 1)) {}

RunThreadPool::~RunThreadPool() {
  wait_idle();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  job_ready_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void RunThreadPool::submit(Job job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(job));
    ++busy_;
    // Every idle thread may already have been claimed by a job queued just before: count those still waiting.
    if (idle_threads_ < jobs_.size() && threads_.size() < max_threads_) {
      threads_.emplace_back([this] { work(); });
      return;  // the new thread finds the job on its own
    }
  }
  job_ready_.notify_one();
}

void RunThreadPool::wait_idle() {
  std::unique_lock<std::mutex> lock(mutex_);
  all_done_.wait(lock, [this] { return busy_ == 0; });
}

std::size_t RunThreadPool::thread_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return threads_.size();
}

void RunThreadPool::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_threads_;
    job_ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    --idle_threads_;
    if (jobs_.empty()) return;  // stopping, and nothing left to run
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job = nullptr;  // whatever the job captured goes before it counts as done
    lock.lock();
    if (--busy_ == 0) all_done_.notify_all();
  }
}

}  // namespace aw::processor::worker
