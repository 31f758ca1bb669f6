// WsTransport: one websocketpp connection seen as the session layer's Transport (gateway/session/transport.h):
// frames out, a ping, a close, and work deferred behind the queued writes. It holds the connection weakly, so a
// call after the connection has gone is a no-op (sends return false).
//
// Thread-safety: loop thread only, like the connection it wraps (ws_config.h). Include only from the websocketpp
// translation unit (gateway/server/ws_server.cpp): websocketpp headers are heavy.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <asio.hpp>
#include <websocketpp/server.hpp>

#include "common/json.h"
#include "gateway/server/ws_config.h"
#include "gateway/session/transport.h"

namespace aw::gateway {

class WsTransport final : public Transport {
 public:
  using Server = websocketpp::server<GatewayWsConfig>;
  using ConnectionPtr = Server::connection_ptr;

  WsTransport(const ConnectionPtr& connection, asio::io_context& io) : connection_(connection), io_(io) {}

  // Transport
  std::size_t buffered_bytes() const override {
    auto con = connection_.lock();
    return con ? con->get_buffered_amount() : 0;
  }
  bool send_text(const std::shared_ptr<const std::string>& frame) override {
    // A frame shared by several connections: copied once, into this connection's message.
    return send_prepared(std::string(*frame));
  }
  bool send_owned_text(std::string frame) override { return send_prepared(std::move(frame)); }
  void defer(std::function<void()> task) override {
    // Posted after the write_frame that websocketpp posted when the queue filled from idle (handlers run in order).
    asio::post(io_, std::move(task));
  }
  void send_ping() override {
    if (auto con = connection_.lock()) {
      websocketpp::lib::error_code ec;
      con->ping("", ec);  // a failed ping means the connection is ending; its close handler reports that
    }
  }
  void close(int code, const std::string& reason, long handshake_timeout_ms) override {
    auto con = connection_.lock();
    if (!con) return;
    con->set_close_handshake_timeout(handshake_timeout_ms);
    websocketpp::lib::error_code ec;
    con->close(static_cast<websocketpp::close::status::value>(code), reason, ec);
  }

 private:
  using Message = GatewayWsConfig::message_type;

  // Queues `payload` as one text frame. websocketpp's send(string) would copy it into a message, copy that into
  // the outgoing frame and check its UTF-8 byte by byte; here the frame header is written in front of the moved
  // text and the UTF-8 check (websocketpp refuses invalid text frames, and so does this) skips ASCII by words.
  bool send_prepared(std::string payload) {
    auto con = connection_.lock();
    if (!con) return false;
    if (!json::is_valid_utf8(payload)) return false;
    if (framing_ == Framing::unknown) {
      // Every protocol version but hixie-76 (no version header) frames as RFC 6455 does. Looked up at the first send,
      // not per connection: a case-insensitive header search costs about 2,000 instructions.
      framing_ = con->get_request_header("Sec-WebSocket-Version").empty() ? Framing::other : Framing::rfc6455;
    }
    if (framing_ != Framing::rfc6455) return !con->send(payload, websocketpp::frame::opcode::text);
    auto msg = std::make_shared<Message>(Message::con_msg_man_ptr(), websocketpp::frame::opcode::text, 0);
    const websocketpp::frame::basic_header header(websocketpp::frame::opcode::text, payload.size(), true, false);
    msg->set_header(websocketpp::frame::prepare_header(header, websocketpp::frame::extended_header(payload.size())));
    msg->get_raw_payload() = std::move(payload);
    msg->set_prepared(true);
    return !con->send(msg);
  }

  enum class Framing : unsigned char { unknown, rfc6455, other };

  std::weak_ptr<Server::connection_type> connection_;
  asio::io_context& io_;
  Framing framing_ = Framing::unknown;
};

}  // namespace aw::gateway
