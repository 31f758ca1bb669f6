// WsConnection (see ws_connection.h): start, reading, the HTTP request and the upgrade, the frames in. Closing and
// writing are in ws_connection_output.cpp.
#include "gateway/server/ws_connection.h"

#include <algorithm>
#include <utility>

#include <websocketpp/close.hpp>
#include <websocketpp/http/constants.hpp>
#include <websocketpp/processors/processor.hpp>

#include "common/json.h"

namespace aw::gateway {
namespace {

namespace wsclose = websocketpp::close;
namespace wsframe = websocketpp::frame;

// Reads per readiness before other connections get their turn (a read takes up to the whole shared buffer).
constexpr int kReadsPerTurn = 4;
// RFC 6455; the drafts before it (hixie-76, hybi-07/08) are refused with 400 and the version this server speaks.
constexpr int kWebSocketVersion = 13;

// One message manager for every connection: it holds no state (each message is its own allocation).
const std::shared_ptr<FrameProcessorConfig::con_msg_manager_type>& message_manager() {
  static const auto manager = std::make_shared<FrameProcessorConfig::con_msg_manager_type>();
  return manager;
}

FrameProcessorConfig::rng_type& unused_rng() {
  static FrameProcessorConfig::rng_type rng;  // a server never masks
  return rng;
}

std::string raw_http_response(const HttpResponse& response, const std::string& extra_headers = {}) {
  const auto status = static_cast<websocketpp::http::status_code::value>(response.status);
  std::string raw =
      "HTTP/1.1 " + std::to_string(response.status) + " " + websocketpp::http::status_code::get_string(status) +
      "\r\nContent-Type: " + response.content_type + "\r\nContent-Length: " + std::to_string(response.body.size()) +
      "\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\nServer: aw-gateway\r\n" + extra_headers + "\r\n";
  raw += response.body;
  return raw;
}

}  // namespace

WsConnection::WsConnection(asio::ip::tcp::socket socket, WsConnectionOwner& owner, SharedReadBuffer& read_buffer,
                           const WsConnectionLimits& limits)
    : socket_(std::move(socket)), owner_(owner), read_buffer_(read_buffer), limits_(limits) {}

WsConnection::~WsConnection() = default;

void WsConnection::start() {
  asio::error_code ec;
  socket_.non_blocking(true, ec);
  if (ec) {  // a blocking read would stall the loop
    end(close_code_);
    return;
  }
  request_ = std::make_unique<HttpRequest>();
  request_->set_max_body_size(limits_.max_http_body_bytes);
  arm_timer(limits_.open_timeout);
  wait_readable();
}

void WsConnection::terminate() { end(close_code_); }

// --- Reading -------------------------------------------------------------------------------------------------------

void WsConnection::wait_readable() {
  socket_.async_wait(asio::ip::tcp::socket::wait_read, [self = shared_from_this()](const asio::error_code& ec) {
    if (self->state_ == State::ended) return;
    if (ec) {
      self->end(self->close_code_);
      return;
    }
    self->read_available();
  });
}

void WsConnection::read_available() {
  for (int i = 0; i < kReadsPerTurn; ++i) {
    if (out_.bytes() > limits_.max_unsent_bytes) {
      // The peer does not read what it asks for: stop reading it (TCP pushes back) until the output drains.
      reading_paused_ = true;
      return;
    }
    asio::error_code ec;
    const std::size_t n = socket_.read_some(asio::buffer(read_buffer_), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      wait_readable();
      return;
    }
    if (ec) {
      // EOF or reset. After our close (or an HTTP answer) that is the normal end; output still queued (a peer that
      // half-closed after its request) is written first, the write's failure or completion then ends it.
      if (ec == asio::error::eof && !out_.empty()) {
        input_ended_ = true;
        flush();
        return;
      }
      end(close_code_);
      return;
    }
    reading_ = true;
    try {
      consume(read_buffer_.data(), n);
    } catch (const std::exception&) {
      // The owner's handlers catch their own faults; this is the parser running out of memory or a bug in it.
      reading_ = false;
      end(close_code_);
      return;
    }
    reading_ = false;
    flush();
    if (state_ == State::ended) return;
    if (n < read_buffer_.size()) {
      // A short read emptied the socket: wait for more rather than read again for an EAGAIN (one system call less
      // per request; the wait re-arms epoll, which reports data that came in meanwhile).
      wait_readable();
      return;
    }
  }
  // More may be waiting: read on after the other connections' turn (a new wait would only see new data).
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    if (self->state_ != State::ended) self->read_available();
  });
}

void WsConnection::consume(const std::uint8_t* data, std::size_t size) {
  if (discarding_input_) return;
  if (state_ == State::reading_request) {
    consume_request(data, size);
  } else if (state_ == State::open || state_ == State::closing) {
    consume_frames(data, size);
  }
}

void WsConnection::consume_request(const std::uint8_t* data, std::size_t size) {
  std::size_t used = 0;
  try {
    used = request_->consume(reinterpret_cast<const char*>(data), size);
  } catch (const websocketpp::http::exception& ex) {
    respond_and_close(error_response(ex.m_error_code, ex.m_msg));
    return;
  }
  if (request_->ready()) answer_request(data + used, size - used);
}

void WsConnection::answer_request(const std::uint8_t* rest, std::size_t rest_size) {
  cancel_timer();
  if (!websocketpp::processor::is_websocket_handshake(*request_)) {
    respond_and_close(owner_.on_http_request(*request_));
    return;
  }
  if (websocketpp::processor::get_websocket_version(*request_) != kWebSocketVersion) {
    respond_and_close(error_response(426, "Unsupported WebSocket version"), "Sec-WebSocket-Version: 13\r\n");
    return;
  }
  processor_ = std::make_unique<FrameProcessor>(false, true, message_manager(), unused_rng());
  processor_->set_max_message_size(limits_.max_message_bytes);
  if (processor_->validate_handshake(*request_)) {
    respond_and_close(error_response(400, "Invalid WebSocket handshake"));
    return;
  }
  if (std::optional<HttpResponse> refusal = owner_.check_upgrade(*this, *request_)) {
    respond_and_close(*refusal);
    return;
  }
  websocketpp::http::parser::response response;
  if (processor_->process_handshake(*request_, "", response)) {
    respond_and_close(error_response(500, "Internal error"));
    return;
  }
  response.set_version("HTTP/1.1");
  response.set_status(websocketpp::http::status_code::switching_protocols);
  response.replace_header("Server", "aw-gateway");
  out_.push_raw(response.raw());
  request_.reset();
  state_ = State::open;
  owner_.on_open(*this);
  if (rest_size > 0) consume_frames(rest, rest_size);  // frames a client sent right behind its request
}

void WsConnection::consume_frames(const std::uint8_t* data, std::size_t size) {
  std::size_t pos = 0;
  while (pos < size && !discarding_input_ && state_ != State::ended) {
    websocketpp::lib::error_code ec;
    const std::size_t used = processor_->consume(const_cast<std::uint8_t*>(data + pos), size - pos, ec);
    pos += used;
    if (ec) {
      fail(websocketpp::processor::error::to_ws(ec), ec.message());
      return;
    }
    if (!processor_->ready()) {
      if (used == 0) return;  // cannot happen (the processor takes every byte it is given); never spin
      continue;
    }
    handle_message(processor_->get_message());
  }
}

void WsConnection::handle_message(const FrameProcessor::message_ptr& message) {
  const std::string& payload = message->get_payload();
  switch (message->get_opcode()) {
    case wsframe::opcode::text:
    case wsframe::opcode::binary:
      if (state_ != State::open) return;
      // Binary frames are handled as text (§1). Text is checked again: websocketpp's processor checks each byte as
      // it arrives, but whether the message ends inside a character only when the last frame is not a continuation
      // (found by tests/fuzz/ws_connection_fuzz), so a fragmented message could end in half a character.
      if (!json::is_valid_utf8(payload)) {
        fail(wsclose::status::invalid_payload, "invalid UTF-8");
        return;
      }
      owner_.on_text(*this, payload);
      return;
    case wsframe::opcode::ping:
      if (state_ == State::open) {
        out_.push(FrameOpcode::pong, payload);
        request_flush();
      }
      owner_.on_control(*this);
      return;
    case wsframe::opcode::pong:
      owner_.on_control(*this);
      return;
    case wsframe::opcode::close:
      handle_close_frame(payload);
      return;
    default:
      return;  // the processor refuses other opcodes
  }
}

void WsConnection::handle_close_frame(const std::string& payload) {
  peer_closed_ = true;
  if (state_ == State::closing) {  // the answer to our close
    if (out_.empty()) end(close_code_);
    return;
  }
  websocketpp::lib::error_code ec;
  const wsclose::status::value code = wsclose::extract_code(payload, ec);
  if (ec) {
    fail(wsclose::status::protocol_error, "invalid close code");
    return;
  }
  (void)wsclose::extract_reason(payload, ec);
  if (ec) {
    fail(wsclose::status::invalid_payload, "invalid UTF-8 in the close reason");
    return;
  }
  // Echo the peer's code (RFC 6455 §5.5.1); a close without a code is answered without one.
  state_ = State::closing;
  close_code_ = code;
  out_.push(FrameOpcode::close, code == wsclose::status::no_status ? std::string() : close_payload(code, {}));
  close_after_output_ = true;
  arm_timer(kCloseAnswerTimeout);
  request_flush();
}

void WsConnection::respond_and_close(const HttpResponse& response, const std::string& extra_headers) {
  state_ = State::closing;
  discarding_input_ = true;
  out_.push_raw(raw_http_response(response, extra_headers));
  close_after_output_ = true;
  arm_timer(kLingerTimeout);
  request_flush();
}

}  // namespace aw::gateway
