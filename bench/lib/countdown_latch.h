// A countdown latch with a deadline: worker threads count down, the main thread waits for zero or for time
// to run out (C++17 has no std::latch, and a bench must never wait forever on a server that stopped answering).
// Thread-safety: every member is safe from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace aw::bench {

class CountdownLatch {
 public:
  explicit CountdownLatch(std::size_t count) : count_(count) {}
  CountdownLatch(const CountdownLatch&) = delete;
  CountdownLatch& operator=(const CountdownLatch&) = delete;

  // Counting below zero is ignored, so a late duplicate report cannot wrap the count.
  void count_down(std::size_t n = 1) {
    std::lock_guard<std::mutex> lock(mutex_);
    count_ = n >= count_ ? 0 : count_ - n;
    if (count_ == 0) zero_.notify_all();
  }

  // True when the count reached zero before the timeout.
  bool wait_for(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return zero_.wait_for(lock, timeout, [this] { return count_ == 0; });
  }

  std::size_t remaining() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }

 private:
  mutable std::mutex mutex_;  // guards count_
  std::condition_variable zero_;
  std::size_t count_;
};

}  // namespace aw::bench
