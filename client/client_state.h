// ClientState: what a Client's io thread shares with the threads that call it: the URL of the next attempt,
// whether the connection is ready, the outcome of the last attempt, why the client gave up, whether the io thread
// has ended, and the number of requests in flight; with the waits of start() and close(), each with a deadline.
// Thread-safety: every member function may be called from any thread (one mutex; `pending` is atomic).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "client/client_options.h"
#include "common/status.h"

namespace aw::client {

class ClientState {
 public:
  explicit ClientState(std::string url) : url_(std::move(url)) {}

  std::string url() const;
  void set_url(std::string url);

  // An attempt ended (connected false, `attempt` its error or ok) or the connection became ready (true).
  // `gave_up`, when not ok, is recorded as last_error().
  void set_connected(bool connected, Status attempt, const Status& gave_up);
  bool is_connected() const;
  Status last_error() const;
  // Waits up to `wait` for the first outcome: ok when connected, the last attempt's error, or `timeout`.
  Status wait_first_attempt(Millis wait);

  // Runs `post` under the lock unless the io thread has ended (false). The io thread drains its queue after
  // mark_io_done(), so a closure posted this way always runs.
  bool post_unless_done(const std::function<void()>& post);
  bool io_done() const;
  void mark_io_done();
  // Waits up to `timeout` for mark_io_done(); true when it happened.
  bool wait_io_done(Millis timeout);

  std::atomic<std::size_t> pending{0};  // requests whose callback has not run yet

 private:
  mutable std::mutex mutex_;  // guards the members below
  std::condition_variable cv_;
  std::string url_;
  bool connected_ = false;
  int attempts_ = 0;
  Status last_attempt_;
  Status last_error_;
  bool io_done_ = false;
};

}  // namespace aw::client
