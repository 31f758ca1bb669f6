// TcpSocket: a blocking IPv4 TCP socket with deadlines on every call, the base of the raw HTTP and WebSocket test
// clients. Sockets are close-on-exec so that a gateway spawned later does not inherit them (an inherited socket
// would keep a connection open after the test closed it).
// Thread-safety: one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "tests/support/wait.h"

namespace aw::test {

class TcpSocket {
 public:
  TcpSocket() = default;
  ~TcpSocket() { close(); }
  TcpSocket(TcpSocket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  TcpSocket& operator=(TcpSocket&& other) noexcept;
  TcpSocket(const TcpSocket&) = delete;
  TcpSocket& operator=(const TcpSocket&) = delete;

  // Connects to host:port (an IPv4 literal). receive_buffer_bytes > 0 sets SO_RCVBUF before connecting, which
  // fixes the advertised window (a small one makes a slow consumer fill up quickly).
  Status connect(const std::string& host, int port, Millis timeout, int receive_buffer_bytes = 0);
  Status write_all(std::string_view bytes, Millis timeout);
  // Appends what is available (at most max_bytes) to `out`, waiting up to `timeout` for data. Fails with code
  // "timeout", "eof" (orderly shutdown by the peer) or "reset" (connection reset / other socket error).
  Status read_some(std::string& out, Millis timeout, std::size_t max_bytes = 65536);
  // Closes with an RST instead of a FIN (SO_LINGER 0).
  void reset();
  void close();
  bool is_open() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// A port on 127.0.0.1 that was free a moment ago (bound to 0, read, closed). Racy by nature: use for settings of
// secondary listeners only, never for the port under test.
int pick_free_port();

}  // namespace aw::test
