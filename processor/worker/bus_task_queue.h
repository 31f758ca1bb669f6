// BusTaskQueue: how run and title threads reach the bus thread for what only it may do (bookkeeping, the commit and
// its re-sends, title results): they post a task ("attempt finished with this commit") to this mutex-guarded queue,
// and an eventfd wakes the bus thread's zmq_poll (which polls plain file descriptors too); only a task posted to an
// empty queue writes it. Tasks run on the bus thread in the order they were posted. (An attempt's events do not
// come this way: its run thread sends them itself, see bus_worker.h.)
// Thread-safety: post() from any thread; fd() and take_all() from the bus thread.
#pragma once

#include <deque>
#include <functional>
#include <mutex>

namespace aw::processor::worker {

class BusTaskQueue {
 public:
  using Task = std::function<void()>;

  BusTaskQueue();  // aborts the process if no eventfd can be made (out of descriptors at start-up)
  ~BusTaskQueue();
  BusTaskQueue(const BusTaskQueue&) = delete;
  BusTaskQueue& operator=(const BusTaskQueue&) = delete;

  void post(Task task);
  // Readable while tasks wait.
  int fd() const { return fd_; }
  // Resets the wake-up and returns every waiting task, oldest first.
  std::deque<Task> take_all();

 private:
  int fd_ = -1;
  std::mutex mutex_;  // guards tasks_
  std::deque<Task> tasks_;
};

}  // namespace aw::processor::worker
