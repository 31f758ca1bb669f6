// WsConnection (see ws_connection.h): closing and writing. Reading, the request and the frames are in
// ws_connection.cpp.
#include <algorithm>
#include <utility>

#include "common/json.h"
#include "gateway/server/ws_connection.h"  // IWYU pragma: associated

namespace aw::gateway {
namespace {

// Scatter-gather buffers per write (Linux takes up to IOV_MAX; asio caps a write at 64).
constexpr std::size_t kWriteBuffers = 64;
// Close reasons are cut to fit a control frame (125 bytes, 2 of them the code).
constexpr std::size_t kMaxCloseReasonBytes = 123;

std::vector<asio::const_buffer>& write_scratch() {
  thread_local std::vector<asio::const_buffer> buffers;
  return buffers;
}

}  // namespace

std::string WsConnection::close_payload(int code, const std::string& reason) {
  std::string payload;
  payload.push_back(static_cast<char>((code >> 8) & 0xFF));
  payload.push_back(static_cast<char>(code & 0xFF));
  std::size_t size = std::min(reason.size(), kMaxCloseReasonBytes);
  while (size > 0 && size < reason.size() && (static_cast<unsigned char>(reason[size]) & 0xC0) == 0x80) --size;
  payload.append(reason, 0, size);  // cut before a continuation byte: the reason stays valid UTF-8
  return payload;
}

// --- Closing -------------------------------------------------------------------------------------------------------

void WsConnection::fail(int code, const std::string& reason) {
  start_close(code, reason, kLingerTimeout);
  discarding_input_ = true;  // the parser's state is unusable after an error
}

void WsConnection::close(int code, const std::string& reason, long handshake_timeout_ms) {
  start_close(code, reason, std::chrono::milliseconds(std::max(handshake_timeout_ms, 1L)));
}

void WsConnection::start_close(int code, const std::string& reason, std::chrono::milliseconds timeout) {
  if (state_ != State::open) return;
  state_ = State::closing;
  close_code_ = code;
  out_.push(FrameOpcode::close, close_payload(code, reason));
  close_after_output_ = true;
  arm_timer(timeout);
  request_flush();
}

void WsConnection::arm_timer(std::chrono::milliseconds timeout) {
  // A deadline that expired in the same reactor pass as the event that replaced it may still run: the generation
  // tells it that it is stale.
  const std::uint32_t generation = ++timer_generation_;
  timer_ = std::make_unique<asio::steady_timer>(socket_.get_executor(), timeout);
  timer_->async_wait([weak = weak_from_this(), generation](const asio::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || generation != self->timer_generation_) return;
    self->end(self->close_code_);  // the peer did not finish in time: drop the TCP connection
  });
}

void WsConnection::cancel_timer() {
  ++timer_generation_;
  timer_.reset();
}

void WsConnection::end(int code) {
  if (state_ == State::ended) return;
  state_ = State::ended;
  cancel_timer();
  asio::error_code ec;
  socket_.close(ec);  // pending waits complete with operation_aborted
  out_.clear();
  request_.reset();
  processor_.reset();
  asio::post(socket_.get_executor(), [self = shared_from_this(), code] { self->owner_.on_ended(*self, code); });
}

// --- Writing -------------------------------------------------------------------------------------------------------

bool WsConnection::send_text(const std::shared_ptr<const std::string>& frame) {
  // Not checked for UTF-8 here (Transport's contract): a frame fanned out to 10,000 subscribers would be scanned
  // 10,000 times. Direct responses are checked below; they are small.
  if (state_ != State::open) return false;
  out_.push_shared(FrameOpcode::text, frame);
  request_flush();
  return true;
}

bool WsConnection::send_owned_text(std::string frame) {
  if (state_ != State::open || !json::is_valid_utf8(frame)) return false;
  out_.push(FrameOpcode::text, std::move(frame));
  request_flush();
  return true;
}

void WsConnection::defer(std::function<void()> task) {
  // Posted behind the flush that request_flush() posted (handlers run in order), or after the read's own flush.
  asio::post(socket_.get_executor(), std::move(task));
}

void WsConnection::send_ping() {
  if (state_ != State::open) return;
  out_.push(FrameOpcode::ping, std::string());
  request_flush();
}

void WsConnection::request_flush() {
  if (reading_ || flush_posted_ || waiting_writable_) return;  // the read's flush, or the one posted, takes it
  flush_posted_ = true;
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->flush_posted_ = false;
    self->flush();
  });
}

void WsConnection::flush() {
  if (waiting_writable_ || state_ == State::ended) return;
  auto& buffers = write_scratch();
  while (!out_.empty()) {
    buffers.clear();
    out_.gather(buffers, kWriteBuffers);
    asio::error_code ec;
    const std::size_t written = socket_.write_some(buffers, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      wait_writable();
      return;
    }
    if (ec) {  // the peer is gone
      end(close_code_);
      return;
    }
    out_.consume(written);
    resume_reading_if_drained();
  }
  after_output_drained();
}

void WsConnection::resume_reading_if_drained() {
  if (!reading_paused_ || out_.bytes() > limits_.max_unsent_bytes / 2 || state_ == State::ended) return;
  reading_paused_ = false;
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->state_ != State::ended) self->read_available();
  });
}

void WsConnection::wait_writable() {
  waiting_writable_ = true;
  socket_.async_wait(asio::ip::tcp::socket::wait_write, [self = shared_from_this()](const asio::error_code& ec) {
    self->waiting_writable_ = false;
    if (ec || self->state_ == State::ended) return;
    self->flush();
  });
}

void WsConnection::after_output_drained() {
  if (input_ended_) {  // the peer closed its side; what it asked for has gone out
    end(close_code_);
    return;
  }
  if (!close_after_output_ || shut_down_sending_) return;
  if (peer_closed_) {  // both close frames went: the server drops the TCP connection first (RFC 6455 §7.1.1)
    end(close_code_);
    return;
  }
  shut_down_sending_ = true;
  asio::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);  // the peer sees our end; its EOF ends the connection
}

}  // namespace aw::gateway
