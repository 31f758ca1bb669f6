// RawWsClient: a WebSocket client written directly on a blocking TCP socket. It reads only when the test asks, so
// a test can make a consumer that never reads (with a small receive window) and watch the server's outbound limit
// act; it also sends any bytes (bad UTF-8, odd opcodes) and reports the raw HTTP answer of a refused upgrade.
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "tests/support/tcp_socket.h"
#include "tests/support/wait.h"
#include "tests/support/ws_test_client.h"

namespace aw::test {

struct RawFrame {
  std::uint8_t opcode = 0;  // 1 text, 2 binary, 8 close, 9 ping, 10 pong
  bool fin = true;
  std::string payload;
  // For a close frame: the status code (0 when the frame had none).
  int close_code() const;
};

class RawWsClient {
 public:
  struct Options {
    int receive_buffer_bytes = 0;  // > 0: SO_RCVBUF before connecting (small window for slow-consumer tests)
  };

  RawWsClient() = default;
  explicit RawWsClient(Options options) : options_(options) {}

  // Connects and performs the opening handshake on `path` with extra headers (a "Host" among them replaces the
  // default host:port, for Origin tests). A non-101 answer fails with code
  // "refused"; http_status() and response_head() then describe it.
  Status connect(const std::string& host, int port, const std::string& path = "/", const Headers& headers = {},
                 Millis timeout = kDefaultTimeout);
  int http_status() const { return http_status_; }
  const std::string& response_head() const { return response_head_; }

  // Sends one masked frame.
  Status send_frame(std::uint8_t opcode, std::string_view payload, Millis timeout = kDefaultTimeout);
  Status send_text(std::string_view text, Millis timeout = kDefaultTimeout) { return send_frame(1, text, timeout); }

  // Reads the next frame. Fails with "timeout", "eof" or "reset" (see TcpSocket::read_some).
  Result<RawFrame> read_frame(Millis timeout = kDefaultTimeout);
  // Reads and discards frames until a close frame (-> its code) or the end of the connection (-> 1006, the code
  // RFC 6455 reserves for "closed without a close frame"); nullopt on timeout.
  std::optional<int> read_until_close(Millis timeout = kDefaultTimeout);

  // Drops the connection without a closing handshake (RST).
  void reset() { socket_.reset(); }

 private:
  Options options_;
  TcpSocket socket_;
  std::string buffer_;  // bytes received and not yet parsed
  int http_status_ = 0;
  std::string response_head_;
};

}  // namespace aw::test
