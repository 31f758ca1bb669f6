#include "processor/worker/bus_task_queue.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace aw::processor::worker {

BusTaskQueue::BusTaskQueue() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (fd_ < 0) {
    std::perror("aw-processor: eventfd");
    std::abort();
  }
}

BusTaskQueue::~BusTaskQueue() { ::close(fd_); }

void BusTaskQueue::post(Task task) {
  bool was_empty = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    was_empty = tasks_.empty();
    tasks_.push_back(std::move(task));
  }
  // Tasks queued behind others are taken with them: the wake-up of the first one (pending, or consumed by a
  // take_all() that has yet to swap the queue) covers them, so a burst of events costs one write.
  if (!was_empty) return;
  const std::uint64_t one = 1;
  // A full counter (2^64 - 2 pending wake-ups) cannot happen; a failed write still leaves the fd readable.
  [[maybe_unused]] const auto written = ::write(fd_, &one, sizeof(one));
}

std::deque<BusTaskQueue::Task> BusTaskQueue::take_all() {
  std::uint64_t count = 0;
  [[maybe_unused]] const auto read = ::read(fd_, &count, sizeof(count));  // EAGAIN when nothing was posted
  std::lock_guard<std::mutex> lock(mutex_);
  std::deque<Task> out;
  out.swap(tasks_);
  return out;
}

}  // namespace aw::processor::worker
