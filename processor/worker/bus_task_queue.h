// BusTaskQueue: how run threads reach the bus thread. ZeroMQ sockets belong to one thread, so a run thread never
// sends: it posts a task (encode the frame on the run thread, send it on the bus thread) to this mutex-guarded
// queue, and an eventfd wakes the bus thread's zmq_poll (which polls plain file descriptors too). Tasks run on the
// bus thread in the order they were posted, so one attempt's events keep their index order and its "finished"
// task runs after all of its events.
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
