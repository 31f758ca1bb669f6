// connect mode with the raw-socket client (see load_modes.h): non-blocking sockets on one epoll thread, one
// precomputed upgrade request for all of them, the 101 answers checked as they arrive. The client's work per
// connection is a few system calls and a header scan, so the time measures the server's accept and handshake.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "bench/lib/connect_report.h"
#include "bench/lib/load_modes.h"
#include "bench/lib/proc_status.h"
#include "bench/lib/raw_handshake.h"

namespace aw::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Epoll events handled per epoll_wait call.
constexpr int kEventBatch = 256;
// How long the close phase waits for the servers' close answers.
constexpr auto kCloseTimeout = std::chrono::milliseconds(10000);

enum class ConnState { Connecting, Sending, Reading, Open, Failed };

struct RawConn {
  int fd = -1;
  ConnState state = ConnState::Connecting;
  std::size_t sent = 0;
  std::string received;
};

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<std::int64_t>(left, 0));
}

class RawConnector {
 public:
  RawConnector(const WsAddress& address, std::size_t clients) : request_(upgrade_request(address)), conns_(clients) {
    addr_.sin_family = AF_INET;
    addr_.sin_port = htons(address.port);
    ::inet_pton(AF_INET, address.host.c_str(), &addr_.sin_addr);
  }
  ~RawConnector() {
    for (RawConn& c : conns_) {
      if (c.fd >= 0) ::close(c.fd);
    }
    if (epoll_ >= 0) ::close(epoll_);
  }
  RawConnector(const RawConnector&) = delete;
  RawConnector& operator=(const RawConnector&) = delete;

  // Sockets and the epoll instance, before the clock starts (no server work is involved).
  Status prepare() {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) return Status::internal(std::string("epoll_create1: ") + std::strerror(errno));
    for (RawConn& c : conns_) {
      c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (c.fd < 0) return Status::internal(std::string("socket: ") + std::strerror(errno));
    }
    return Status::ok();
  }

  // Starts every connect, then drives the handshakes until each is open or failed, or the deadline passes.
  // Returns true when none is left pending.
  bool run(Clock::time_point deadline) {
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      RawConn& c = conns_[i];
      const int rc = ::connect(c.fd, reinterpret_cast<const sockaddr*>(&addr_), sizeof addr_);
      if (rc != 0 && errno != EINPROGRESS) {
        fail(c, std::string("connect: ") + std::strerror(errno));
        continue;
      }
      c.state = ConnState::Sending;
      watch(i, EPOLL_CTL_ADD, EPOLLOUT);
    }
    epoll_event events[kEventBatch];
    while (pending() > 0) {
      const int n = ::epoll_wait(epoll_, events, kEventBatch, remaining_ms(deadline));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      for (int k = 0; k < n; ++k) step(static_cast<std::size_t>(events[k].data.u64), events[k].events);
    }
    return true;
  }

  // Sends a close frame on every open connection and waits for the server to end each; returns how many did not.
  std::size_t close_all(Clock::time_point deadline) {
    std::size_t waiting = 0;
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      RawConn& c = conns_[i];
      if (c.state != ConnState::Open) continue;
      const std::string_view frame = client_close_frame();
      if (::send(c.fd, frame.data(), frame.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(frame.size())) continue;
      watch(i, EPOLL_CTL_ADD, EPOLLIN);
      ++waiting;
    }
    epoll_event events[kEventBatch];
    char sink[512];
    while (waiting > 0) {
      const int n = ::epoll_wait(epoll_, events, kEventBatch, remaining_ms(deadline));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      for (int k = 0; k < n; ++k) {
        RawConn& c = conns_[static_cast<std::size_t>(events[k].data.u64)];
        if (c.fd < 0) continue;
        const ssize_t got = ::recv(c.fd, sink, sizeof sink, 0);
        if (got > 0 || (got < 0 && (errno == EAGAIN || errno == EINTR))) continue;  // the server's close frame
        ::close(c.fd);  // end of stream (or an error): the server is done with it
        c.fd = -1;
        --waiting;
      }
    }
    return waiting;
  }

  std::size_t opened() const { return opened_; }
  std::size_t failed() const { return failed_; }
  std::size_t pending() const { return conns_.size() - opened_ - failed_; }
  Clock::time_point last_done() const { return last_done_; }
  const std::string& first_error() const { return first_error_; }

 private:
  void watch(std::size_t index, int op, std::uint32_t what) {
    epoll_event ev{};
    ev.events = what;
    ev.data.u64 = index;
    ::epoll_ctl(epoll_, op, conns_[index].fd, &ev);
  }

  void fail(RawConn& c, std::string reason) {
    if (c.state == ConnState::Failed || c.state == ConnState::Open) return;
    c.state = ConnState::Failed;
    ++failed_;
    last_done_ = Clock::now();
    if (first_error_.empty()) first_error_ = std::move(reason);
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
  }

  void step(std::size_t index, std::uint32_t what) {
    RawConn& c = conns_[index];
    if (c.state == ConnState::Sending) {
      int error = 0;
      socklen_t len = sizeof error;
      ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &len);
      if (error != 0) return fail(c, std::string("connect: ") + std::strerror(error));
      const ssize_t n = ::send(c.fd, request_.data() + c.sent, request_.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) fail(c, std::string("send: ") + std::strerror(errno));
        return;
      }
      c.sent += static_cast<std::size_t>(n);
      if (c.sent < request_.size()) return;
      c.state = ConnState::Reading;
      watch(index, EPOLL_CTL_MOD, EPOLLIN);
      return;
    }
    if (c.state != ConnState::Reading || (what & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0) return;
    char buffer[1024];
    const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) fail(c, std::string("recv: ") + std::strerror(errno));
      return;
    }
    if (n == 0) return fail(c, "closed before the handshake ended");
    c.received.append(buffer, static_cast<std::size_t>(n));
    switch (check_upgrade_response(c.received)) {
      case HandshakeState::Incomplete:
        return;
      case HandshakeState::Refused:
        return fail(c, "upgrade refused: " + c.received.substr(0, c.received.find('\r')));
      case HandshakeState::Accepted:
        c.state = ConnState::Open;
        ++opened_;
        last_done_ = Clock::now();
        std::string().swap(c.received);
        ::epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
        return;
    }
  }

  const std::string request_;
  sockaddr_in addr_{};
  std::vector<RawConn> conns_;
  int epoll_ = -1;
  std::size_t opened_ = 0;
  std::size_t failed_ = 0;
  Clock::time_point last_done_{};
  std::string first_error_;
};

}  // namespace

Status run_raw_connect(const Target& target, const ConnectOptions& options) {
  if (options.clients == 0) return Status::invalid_request("connect: --clients must be at least 1");
  const std::optional<WsAddress> address = parse_ws_address(target.uri);
  if (!address) return Status::invalid_request("connect --client raw: the URI must be ws://<ipv4>:<port>/...");
  if (target.pid > 0) {
    auto probe = read_vm_rss_kib(target.pid);
    if (!probe.is_ok()) return probe.status();
  }
  RawConnector connector(*address, options.clients);
  if (Status prepared = connector.prepare(); !prepared.is_ok()) return prepared;

  const std::int64_t rss_before = rss_kib_or_minus_one(target.pid);
  const Clock::time_point start = Clock::now();
  const bool completed = connector.run(start + options.timeout);
  const Clock::time_point end = completed ? connector.last_done() : Clock::now();
  const double total_ms = std::chrono::duration<double, std::milli>(end - start).count();

  // Idle period, as in the websocketpp client's connect mode.
  std::this_thread::sleep_for(options.hold);
  const std::int64_t rss_after = rss_kib_or_minus_one(target.pid);
  const std::size_t still_open = connector.close_all(Clock::now() + kCloseTimeout);

  ConnectReport report;
  report.client = "raw";
  report.opened = connector.opened();
  report.failed = connector.failed();
  report.pending = connector.pending();
  report.completed = completed;
  report.total_ms = total_ms;
  report.rss_before_kib = rss_before;
  report.rss_after_kib = rss_after;
  report.still_open_after_close = still_open;
  report.first_error = connector.first_error();
  return report_connect(target, options, report);
}

}  // namespace aw::bench
