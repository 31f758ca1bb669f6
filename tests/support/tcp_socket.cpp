// TcpSocket (see tcp_socket.h): poll() with a deadline before each blocking call.
#include "tests/support/tcp_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace aw::test {
namespace {

Status errno_status(const char* what) {
  return Status::error("socket", std::string(what) + ": " + std::strerror(errno));
}

// Waits for `events` on fd until the deadline; false on timeout.
bool poll_until(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, left > 0 ? static_cast<int>(left) : 0);
    if (rc > 0) return true;
    if (rc == 0) return false;
    if (errno != EINTR) return true;  // let the following call report the error
  }
}

}  // namespace

TcpSocket& TcpSocket::operator=(TcpSocket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Status TcpSocket::connect(const std::string& host, int port, Millis timeout, int receive_buffer_bytes) {
  close();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ < 0) return errno_status("socket");
  if (receive_buffer_bytes > 0 &&
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes, sizeof(receive_buffer_bytes)) != 0) {
    return errno_status("setsockopt(SO_RCVBUF)");
  }
  const int one = 1;
  (void)::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return Status::error("socket", "not an IPv4 literal: " + host);
  }
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (errno != EINPROGRESS) return errno_status("connect");
    if (!poll_until(fd_, POLLOUT, Clock::now() + timeout)) return Status::error("timeout", "connect timed out");
    int err = 0;
    socklen_t len = sizeof(err);
    (void)::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      errno = err;
      return errno_status("connect");
    }
  }
  return Status::ok();
}

Status TcpSocket::write_all(std::string_view bytes, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    if (!poll_until(fd_, POLLOUT, deadline)) return Status::error("timeout", "write timed out");
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno == ECONNRESET || errno == EPIPE) return Status::error("reset", std::strerror(errno));
      return errno_status("send");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::ok();
}

Status TcpSocket::read_some(std::string& out, Millis timeout, std::size_t max_bytes) {
  const auto deadline = Clock::now() + timeout;
  char buffer[65536];
  const std::size_t limit = max_bytes < sizeof(buffer) ? max_bytes : sizeof(buffer);
  for (;;) {
    if (!poll_until(fd_, POLLIN, deadline)) return Status::error("timeout", "read timed out");
    const ssize_t n = ::recv(fd_, buffer, limit, 0);
    if (n > 0) {
      out.append(buffer, static_cast<std::size_t>(n));
      return Status::ok();
    }
    if (n == 0) return Status::error("eof", "connection closed by peer");
    if (errno == EINTR || errno == EAGAIN) continue;
    return Status::error("reset", std::strerror(errno));
  }
}

void TcpSocket::reset() {
  if (fd_ < 0) return;
  linger lg{1, 0};
  (void)::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  close();
}

void TcpSocket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

int pick_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  int port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

}  // namespace aw::test
