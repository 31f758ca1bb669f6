// Transport: one client connection's socket as the session layer sees it. WsConnection
// (gateway/server/ws_connection.h) implements it; unit tests use a fake. Keeping the socket behind this interface keeps
// sockets and websocketpp out of the session logic and lets that logic be tested without a socket.
// Thread-safety: loop thread only.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace aw::gateway {

class Transport {
 public:
  virtual ~Transport() = default;

  // Bytes queued on the connection that the socket has not taken yet.
  virtual std::size_t buffered_bytes() const = 0;
  // Queues one text frame. `frame` is valid UTF-8. Returns false when the connection can no longer send.
  virtual bool send_text(const std::shared_ptr<const std::string>& frame) = 0;
  // The same for a frame only this connection receives (a direct response): the transport may take the text over
  // instead of copying it. The default shares it through send_text().
  virtual bool send_owned_text(std::string frame) {
    return send_text(std::make_shared<const std::string>(std::move(frame)));
  }
  // Runs `task` on the loop after the frames queued so far had their chance to be handed to the socket (a
  // connection writes on the next loop turn), so that buffered_bytes() then counts only what the socket could not
  // take. The task may run after the connection ended.
  virtual void defer(std::function<void()> task) = 0;
  // Sends a WebSocket control ping.
  virtual void send_ping() = 0;
  // Starts the close handshake with `code`; the TCP connection is dropped if the peer has not answered after
  // `handshake_timeout_ms`. Idempotent. Never calls back into the session layer synchronously: the end of the
  // connection is reported later, from the loop.
  virtual void close(int code, const std::string& reason, long handshake_timeout_ms) = 0;
};

}  // namespace aw::gateway
