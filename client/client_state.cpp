// ClientState (see client_state.h).
#include "client/client_state.h"

namespace aw::client {

std::string ClientState::url() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return url_;
}

void ClientState::set_url(std::string url) {
  std::lock_guard<std::mutex> lock(mutex_);
  url_ = std::move(url);
}

void ClientState::set_connected(bool connected, Status attempt, const Status& gave_up) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    connected_ = connected;
    ++attempts_;
    last_attempt_ = std::move(attempt);
    if (!gave_up.is_ok()) last_error_ = gave_up;
  }
  cv_.notify_all();
}

bool ClientState::is_connected() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return connected_;
}

Status ClientState::last_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_error_;
}

Status ClientState::wait_first_attempt(Millis wait) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!cv_.wait_for(lock, wait, [&] { return connected_ || attempts_ > 0; })) {
    return Status::error("timeout", "no connection to " + url_ + " within " + std::to_string(wait.count()) + " ms");
  }
  if (connected_) return Status::ok();
  return last_attempt_.is_ok() ? Status::error("connect_failed", "connection closed") : last_attempt_;
}

bool ClientState::post_unless_done(const std::function<void()>& post) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (io_done_) return false;
  post();
  return true;
}

bool ClientState::io_done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return io_done_;
}

void ClientState::mark_io_done() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    io_done_ = true;
  }
  cv_.notify_all();
}

bool ClientState::wait_io_done(Millis timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return io_done_; });
}

}  // namespace aw::client
