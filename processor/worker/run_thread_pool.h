// RunThreadPool: the threads on which the bus worker runs its attempts and title jobs. A thread per attempt cost a
// clone, a stack and a first scheduling on the path from `grant` to the LLM request (docs/benchmarks.md "Session
// 5"); here threads are started lazily, up to `max_threads` (WS_MAX_CONCURRENT: the worker never runs more jobs than
// it has slots), and kept, so a grant only wakes an idle one. A job submitted while every thread is busy (an attempt
// that just posted its last task may still be returning) waits for the first thread to free, in FIFO order.
// Jobs run to their end: stopping one is the job's business (AgentRun::abort, a title's CancelToken).
// Thread-safety: submit() and wait_idle() from any thread except a pool thread; the destructor from the owner.
// Threads inherit the creating thread's signal mask (the worker's thread blocks SIGINT/SIGTERM).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace aw::processor::worker {

class RunThreadPool {
 public:
  using Job = std::function<void()>;

  explicit RunThreadPool(std::size_t max_threads);
  // Waits for every submitted job to finish, then joins the threads.
  ~RunThreadPool();
  RunThreadPool(const RunThreadPool&) = delete;
  RunThreadPool& operator=(const RunThreadPool&) = delete;

  // Runs `job` on an idle thread, starting a new one when none is idle and fewer than max_threads exist.
  void submit(Job job);
  // Blocks until no job runs or waits.
  void wait_idle();
  // Threads started so far (never more than max_threads).
  std::size_t thread_count() const;

 private:
  void work();

  const std::size_t max_threads_;
  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable job_ready_;
  std::condition_variable all_done_;
  std::deque<Job> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_threads_ = 0;
  std::size_t busy_ = 0;  // jobs running or waiting
  bool stopping_ = false;
};

}  // namespace aw::processor::worker
