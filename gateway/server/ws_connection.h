// WsConnection: one accepted TCP connection of aw-gateway, from its HTTP request to the end of its socket
// (ws-protocol.md §1, RFC 6455). The request is parsed with websocketpp's HTTP parser; an upgrade is checked and
// answered with websocketpp's hybi13 processor, which then parses the client's frames (masking, fragmentation,
// UTF-8 of text, AW_MAX_FRAME_BYTES); a plain HTTP request gets one response and the connection closes.
//
// Why not websocketpp's own connection class: it keeps about 7 KB per idle connection (the request and response
// objects, handler copies, timers, a read buffer) and allocates several objects per message; this class keeps what
// an open connection needs (the socket, the frame parser, the unsent frames) and reads into one buffer shared by
// every connection of the loop (docs/gateway-transport.md).
//
// Reads: the connection waits for readability and then reads into the shared buffer until the socket would block,
// at most kReadsPerTurn times before yielding to other connections. Writes: frames queued while a read is handled go
// out in one write after it; frames queued otherwise are written on the next loop turn (one write per turn and
// connection); whatever the socket does not take waits for writability.
// Closing: a close frame goes out behind the queued frames; then the sending side is shut down and the input is
// read and dropped until the peer closes, or the close timeout drops the connection. The owner hears of the end
// once, always from a later loop turn.
//
// Thread-safety: loop thread only. Include only from the websocketpp translation units of gateway/server.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <algorithm>

#include <asio.hpp>
#include <websocketpp/config/core.hpp>
#include <websocketpp/http/request.hpp>
#include <websocketpp/processors/hybi13.hpp>

#include "gateway/server/http_response.h"
#include "gateway/server/outbound_frames.h"
#include "gateway/session/session.h"
#include "gateway/session/transport.h"

namespace aw::gateway {

using HttpRequest = websocketpp::http::parser::request;
// The message manager of the frame parser: websocketpp's con_msg_manager, except that a message reserves at most
// 64 KiB when its first frame header arrives. websocketpp reserves the whole size the header claims (up to
// AW_MAX_FRAME_BYTES), so a peer could pin that much memory per connection with a 14-byte header and no payload.
template <typename Message>
class CappedMessageManager : public std::enable_shared_from_this<CappedMessageManager<Message>> {
 public:
  using type = CappedMessageManager<Message>;
  using ptr = std::shared_ptr<type>;
  using weak_ptr = std::weak_ptr<type>;
  using message_ptr = typename Message::ptr;
  static constexpr std::size_t kMaxReservedBytes = std::size_t{64} * 1024;

  message_ptr get_message() { return std::make_shared<Message>(this->shared_from_this()); }
  message_ptr get_message(websocketpp::frame::opcode::value op, std::size_t size) {
    return std::make_shared<Message>(this->shared_from_this(), op, std::min(size, kMaxReservedBytes));
  }
  bool recycle(Message* /*message*/) { return false; }
};

// The frame parser: websocketpp's RFC 6455 processor on its core config (no extensions, no locks taken by it) with
// the capped message manager.
struct FrameProcessorConfig : websocketpp::config::core {
  using message_type = websocketpp::message_buffer::message<CappedMessageManager>;
  using con_msg_manager_type = CappedMessageManager<message_type>;
};
using FrameProcessor = websocketpp::processor::hybi13<FrameProcessorConfig>;

class WsConnection;

// What the listener decides and hears about its connections.
class WsConnectionOwner {
 public:
  virtual ~WsConnectionOwner() = default;
  // A valid upgrade request: nullopt accepts it; a response refuses it (sent, then the connection closes).
  virtual std::optional<HttpResponse> check_upgrade(WsConnection& connection, const HttpRequest& request) = 0;
  // The 101 response is queued and frames may be sent.
  virtual void on_open(WsConnection& connection) = 0;
  // A request that is not an upgrade: its response.
  virtual HttpResponse on_http_request(const HttpRequest& request) = 0;
  // One data frame: text, or binary that is valid UTF-8 (ws-protocol.md §1).
  virtual void on_text(WsConnection& connection, const std::string& payload) = 0;
  // A ping or pong from the peer (a ping is answered by the connection).
  virtual void on_control(WsConnection& connection) = 0;
  // The connection ended; `code` is the close code this side sent, 1006 when none was. Called once per accepted
  // connection, opened or not, never from inside a call into the connection.
  virtual void on_ended(WsConnection& connection, int code) = 0;
};

struct WsConnectionLimits {
  std::size_t max_message_bytes = 0;  // AW_MAX_FRAME_BYTES: larger messages close the connection with 1009
  std::size_t max_http_body_bytes = std::size_t{64} * 1024;
  std::chrono::milliseconds open_timeout{5000};  // from accept to the end of the upgrade request
  // Reading stops while more than this is queued for the peer, and resumes below half of it: a peer that sends
  // requests (or pings) but does not read the answers is pushed back by TCP instead of filling our memory. The
  // session's own cap (AW_MAX_OUTBOUND_BYTES, close 4008) applies as well; this is the same value.
  std::size_t max_unsent_bytes = 4194304;
};

// The loop's one receive buffer, shared by its connections (a read is consumed before the next one starts).
using SharedReadBuffer = std::vector<std::uint8_t>;

class WsConnection final : public Transport, public std::enable_shared_from_this<WsConnection> {
 public:
  WsConnection(asio::ip::tcp::socket socket, WsConnectionOwner& owner, SharedReadBuffer& read_buffer,
               const WsConnectionLimits& limits);
  ~WsConnection() override;
  WsConnection(const WsConnection&) = delete;
  WsConnection& operator=(const WsConnection&) = delete;

  // Starts reading the request. Call once, after construction through std::make_shared.
  void start();
  // Drops the TCP connection now (shutdown stragglers); the owner still hears of it from a later turn.
  void terminate();

  // The session of an open connection (set by the owner in on_open).
  SessionId session_id = 0;

  // Transport
  std::size_t buffered_bytes() const override { return out_.bytes(); }
  bool send_text(const std::shared_ptr<const std::string>& frame) override;
  bool send_owned_text(std::string frame) override;
  void defer(std::function<void()> task) override;
  void send_ping() override;
  void close(int code, const std::string& reason, long handshake_timeout_ms) override;

 private:
  enum class State : std::uint8_t { reading_request, open, closing, ended };

  // How long a peer has to close after our close of a failed connection, or after an HTTP answer.
  static constexpr std::chrono::milliseconds kLingerTimeout{5000};
  // How long a peer that closed first has to take our answer and drop its side.
  static constexpr std::chrono::milliseconds kCloseAnswerTimeout{5000};
  // A close frame's payload: the code, then `reason` cut at a character boundary to fit a control frame.
  static std::string close_payload(int code, const std::string& reason);

  void wait_readable();
  void read_available();
  void consume(const std::uint8_t* data, std::size_t size);
  void consume_request(const std::uint8_t* data, std::size_t size);
  void consume_frames(const std::uint8_t* data, std::size_t size);
  void answer_request(const std::uint8_t* rest, std::size_t rest_size);
  void handle_message(const FrameProcessor::message_ptr& message);
  void handle_close_frame(const std::string& payload);
  void fail(int code, const std::string& reason);
  // Queues the close frame and starts closing (no-op unless open).
  void start_close(int code, const std::string& reason, std::chrono::milliseconds timeout);
  // Sends `response` and closes when it went out.
  void respond_and_close(const HttpResponse& response, const std::string& extra_headers = {});

  void request_flush();
  void flush();
  void wait_writable();
  void after_output_drained();
  void arm_timer(std::chrono::milliseconds timeout);
  void cancel_timer();
  void resume_reading_if_drained();
  // Closes the socket and reports the end to the owner from the next turn. Idempotent.
  void end(int code);

  asio::ip::tcp::socket socket_;
  WsConnectionOwner& owner_;
  SharedReadBuffer& read_buffer_;
  const WsConnectionLimits& limits_;
  std::unique_ptr<HttpRequest> request_;       // while the request is read
  std::unique_ptr<FrameProcessor> processor_;  // once open
  std::unique_ptr<asio::steady_timer> timer_;  // the open or close deadline, only while one runs
  std::uint32_t timer_generation_ = 0;
  OutboundFrames out_;
  State state_ = State::reading_request;
  int close_code_ = 1006;
  bool reading_ = false;       // a read is being handled: sends wait for the flush after it
  bool flush_posted_ = false;  // a flush is posted for the next turn
  bool waiting_writable_ = false;
  bool close_after_output_ = false;  // shut the sending side down once the queue is written
  bool discarding_input_ = false;    // the input is dropped until EOF (after a protocol error or an HTTP answer)
  bool peer_closed_ = false;         // the peer's close frame arrived
  bool input_ended_ = false;         // EOF with output still queued: end once it is written
  bool reading_paused_ = false;      // over max_unsent_bytes: no read until the output drains
  bool shut_down_sending_ = false;
};

}  // namespace aw::gateway
