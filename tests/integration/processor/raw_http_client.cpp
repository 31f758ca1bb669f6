// Blocking raw HTTP/1.1 client for tests (see raw_http_client.h).
#include "tests/integration/processor/raw_http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace aw::test {

namespace {

using Clock = std::chrono::steady_clock;

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string RawHttpResponse::header(const std::string& lowercase_name) const {
  auto it = headers.find(lowercase_name);
  return it == headers.end() ? std::string() : it->second;
}

Result<RawHttpConnection> RawHttpConnection::connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::internal(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    const std::string error = std::strerror(errno);
    ::close(fd);
    return Status::internal("connect to 127.0.0.1:" + std::to_string(port) + ": " + error);
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return RawHttpConnection(fd);
}

RawHttpConnection::RawHttpConnection(RawHttpConnection&& other) noexcept
    : fd_(other.fd_), buffer_(std::move(other.buffer_)) {
  other.fd_ = -1;
}

RawHttpConnection& RawHttpConnection::operator=(RawHttpConnection&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    buffer_ = std::move(other.buffer_);
    other.fd_ = -1;
  }
  return *this;
}

RawHttpConnection::~RawHttpConnection() { close(); }

void RawHttpConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status RawHttpConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::internal(std::string("send: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::ok();
}

RawHttpConnection::Fill RawHttpConnection::fill(Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd pfd{fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, left <= 0 ? 0 : static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return Fill::TimedOut;
    std::array<char, 16384> chunk{};
    const ssize_t n = ::recv(fd_, chunk.data(), chunk.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Fill::Closed;  // EOF, or a reset
    buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    return Fill::Data;
  }
}

RawHttpResponse RawHttpConnection::read_response(std::chrono::milliseconds timeout, std::size_t max_chunks) {
  const auto deadline = Clock::now() + timeout;
  RawHttpResponse response;
  const auto ended = [&response](Fill fill) {
    response.end = fill == Fill::Closed ? RawHttpResponse::End::Closed : RawHttpResponse::End::TimedOut;
    return response;
  };

  // Head, skipping interim 1xx answers.
  std::size_t head_end = 0;
  for (;;) {
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (const Fill f = fill(deadline); f != Fill::Data) return ended(f);
    }
    const std::string head = buffer_.substr(0, head_end);
    buffer_.erase(0, head_end + 4);
    std::size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    const std::size_t sp1 = status_line.find(' ');
    const std::size_t sp2 = status_line.find(' ', sp1 + 1);
    response = RawHttpResponse();
    response.status = std::atoi(status_line.substr(sp1 + 1, sp2 - sp1 - 1).c_str());
    response.reason = sp2 == std::string::npos ? "" : status_line.substr(sp2 + 1);
    while (line_end != std::string::npos) {
      const std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line = head.substr(start, line_end == std::string::npos ? line_end : line_end - start);
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      response.headers[to_lower(line.substr(0, colon))] = std::string(trim(std::string_view(line).substr(colon + 1)));
    }
    if (response.status >= 200) break;
  }

  if (to_lower(response.header("transfer-encoding")).find("chunked") != std::string::npos) {
    response.chunked = true;
    for (;;) {
      std::size_t line_end = 0;
      while ((line_end = buffer_.find("\r\n")) == std::string::npos) {
        if (const Fill f = fill(deadline); f != Fill::Data) return ended(f);
      }
      const std::size_t size = std::stoul(buffer_.substr(0, line_end), nullptr, 16);
      if (size == 0) {
        // "0\r\n", then trailer lines (none expected), then an empty line.
        std::size_t trailers_end = 0;
        while ((trailers_end = buffer_.find("\r\n\r\n", line_end)) == std::string::npos) {
          if (const Fill f = fill(deadline); f != Fill::Data) return ended(f);
        }
        buffer_.erase(0, trailers_end + 4);
        return response;
      }
      while (buffer_.size() < line_end + 2 + size + 2) {
        if (const Fill f = fill(deadline); f != Fill::Data) return ended(f);
      }
      std::string payload = buffer_.substr(line_end + 2, size);
      buffer_.erase(0, line_end + 2 + size + 2);
      response.body += payload;
      response.chunks.push_back(std::move(payload));
      response.chunk_times.push_back(Clock::now());
      if (response.chunks.size() >= max_chunks) {
        response.end = RawHttpResponse::End::Partial;
        return response;
      }
    }
  }

  const std::string length = response.header("content-length");
  if (!length.empty()) {
    const std::size_t size = std::stoul(length);
    while (buffer_.size() < size) {
      if (const Fill f = fill(deadline); f != Fill::Data) {
        response.body = buffer_;
        return ended(f);
      }
    }
    response.body = buffer_.substr(0, size);
    buffer_.erase(0, size);
    return response;
  }

  // Close-delimited body.
  for (;;) {
    const Fill f = fill(deadline);
    if (f == Fill::Closed) break;
    if (f == Fill::TimedOut) {
      response.body = buffer_;
      return ended(f);
    }
  }
  response.body = std::move(buffer_);
  buffer_.clear();
  return response;
}

std::string RawHttpConnection::read_for(std::chrono::milliseconds window) {
  const auto deadline = Clock::now() + window;
  while (fill(deadline) == Fill::Data) {
  }
  std::string received = std::move(buffer_);
  buffer_.clear();
  return received;
}

bool RawHttpConnection::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const Fill f = fill(deadline);
    buffer_.clear();
    if (f == Fill::Closed) return true;
    if (f == Fill::TimedOut) return false;
  }
}

std::string http_request_text(std::string_view method, std::string_view target, std::string_view body,
                              const std::vector<std::pair<std::string, std::string>>& headers, bool keep_alive) {
  std::string text;
  text.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  text += "Host: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) text += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST") text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (!keep_alive) text += "Connection: close\r\n";
  text += "\r\n";
  text.append(body);
  return text;
}

RawHttpResponse http_exchange(int port, std::string_view method, std::string_view target, std::string_view body,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              std::chrono::milliseconds timeout) {
  Result<RawHttpConnection> connection = RawHttpConnection::connect(port);
  if (!connection) {
    RawHttpResponse failed;
    failed.end = RawHttpResponse::End::Closed;
    return failed;
  }
  if (!connection->send(http_request_text(method, target, body, headers, false))) {
    RawHttpResponse failed;
    failed.end = RawHttpResponse::End::Closed;
    return failed;
  }
  return connection->read_response(timeout);
}

}  // namespace aw::test
