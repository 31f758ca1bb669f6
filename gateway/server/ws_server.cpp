// WsServer: the listener and its loop (see ws_server.h). Connections are WsConnection objects (ws_connection.h);
// this file accepts them, makes the upgrade-time checks, and joins them to GatewayService. Every handler ends in one
// catch: a fault closes that connection (4011), never the process.
#include "gateway/server/ws_server.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include <asio.hpp>

#include "common/json.h"
#include "gateway/server/http_endpoints.h"
#include "gateway/server/origin_policy.h"
#include "gateway/server/port_file.h"
#include "gateway/server/upgrade_admission.h"
#include "gateway/server/upgrade_headers.h"
#include "gateway/server/ws_connection.h"
#include "gateway/session/gateway_service.h"

namespace aw::gateway {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Period of the replay pacing check while a replay waits for its socket to drain.
constexpr auto kPacingPeriod = std::chrono::milliseconds(5);
// Largest body accepted on a plain HTTP request (the endpoints take none).
constexpr std::size_t kMaxHttpBodyBytes = std::size_t{64} * 1024;
// The loop's receive buffer: one read takes up to this much from a socket (a few hundred pipelined commands).
constexpr std::size_t kReadBufferBytes = std::size_t{64} * 1024;
// Accepts per readiness of the listening socket before the loop serves the open connections again.
constexpr int kAcceptsPerTurn = 64;
// Pause before accepting again after an accept failed for want of descriptors or memory.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);
// How long a connection has from its accept to the end of its HTTP request.
constexpr auto kOpenTimeout = std::chrono::milliseconds(5000);

}  // namespace

struct WsServer::Impl final : WsConnectionOwner {
  Impl(const GatewayConfig& cfg, GatewayCore& core_ref, const Authenticator& auth, Logger log)
      : config_(cfg),
        core_(core_ref),
        authenticator_(auth),
        logger_(std::move(log)),
        service_(core_ref, auth, to_service_options(cfg), logger_),
        origins_(cfg.allowed_origins),
        acceptor_(io_),
        accept_retry_timer_(io_),
        heartbeat_timer_(io_),
        pacing_timer_(io_),
        grace_timer_(io_),
        signals_(io_, SIGINT, SIGTERM),
        read_buffer_(kReadBufferBytes) {
    limits_.max_message_bytes = static_cast<std::size_t>(cfg.max_frame_bytes);
    limits_.max_http_body_bytes = kMaxHttpBodyBytes;
    limits_.open_timeout = kOpenTimeout;
    limits_.max_unsent_bytes = static_cast<std::size_t>(cfg.max_outbound_bytes);
  }

  Status listen();
  Status open_acceptor(const asio::ip::tcp::endpoint& where, bool v6_dual_stack);
  void wait_acceptable();
  void accept_ready();
  void start_heartbeat();
  void arm_pacing();
  void on_signal();
  void finish_shutdown();
  void fail_connection(WsConnection& connection, const char* where, const std::exception& ex);

  // WsConnectionOwner
  std::optional<HttpResponse> check_upgrade(WsConnection& connection, const HttpRequest& request) override;
  void on_open(WsConnection& connection) override;
  HttpResponse on_http_request(const HttpRequest& request) override;
  void on_text(WsConnection& connection, const std::string& payload) override;
  void on_control(WsConnection& connection) override;
  void on_ended(WsConnection& connection, int code) override;

  const GatewayConfig config_;
  GatewayCore& core_;
  const Authenticator& authenticator_;
  const Logger logger_;
  asio::io_context io_{1};
  GatewayService service_;
  OriginPolicy origins_;
  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_timer_;
  asio::steady_timer heartbeat_timer_;
  asio::steady_timer pacing_timer_;
  asio::steady_timer grace_timer_;
  asio::signal_set signals_;
  SharedReadBuffer read_buffer_;
  WsConnectionLimits limits_;
  std::unordered_set<WsConnection*> connections_;  // accepted and not yet ended
  std::optional<Principal> upgrade_principal_;     // a Bearer token validated by check_upgrade, for on_open
  const bus::BusStatusView* bus_status_ = nullptr;
  bool pacing_armed_ = false;
  bool shutting_down_ = false;
  bool finished_ = false;
  std::uint16_t bound_port_ = 0;
  SteadyClock::time_point started_at_ = SteadyClock::now();
};

Status WsServer::Impl::open_acceptor(const asio::ip::tcp::endpoint& where, bool v6_dual_stack) {
  asio::error_code ec;
  acceptor_.close(ec);
  acceptor_.open(where.protocol(), ec);
  // Dual-stack as the TypeScript server listened: `localhost` may resolve to ::1 or 127.0.0.1 (§1).
  if (!ec && v6_dual_stack) acceptor_.set_option(asio::ip::v6_only(false), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(where, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) acceptor_.non_blocking(true, ec);
  // A connection reset while it waited in the backlog is reported (and skipped) instead of making a non-blocking
  // accept wait for the next one.
  if (!ec) acceptor_.set_option(asio::socket_base::enable_connection_aborted(true), ec);
  if (ec) return Status::error("listen_failed", ec.message());
  return Status::ok();
}

Status WsServer::Impl::listen() {
  Status opened = Status::ok();
  if (config_.host.empty()) {
    opened = open_acceptor(asio::ip::tcp::endpoint(asio::ip::address_v6::any(), config_.port), true);
    if (!opened.is_ok()) {
      logger_.info("IPv6 unavailable, listening on IPv4 only", {{"error", opened.message()}});
      opened = open_acceptor(asio::ip::tcp::endpoint(asio::ip::address_v4::any(), config_.port), false);
    }
  } else {
    asio::error_code aec;
    asio::ip::address address = asio::ip::make_address(config_.host, aec);
    if (aec) {
      asio::ip::tcp::resolver resolver(io_);
      auto results = resolver.resolve(config_.host, std::to_string(config_.port), aec);
      if (aec || results.empty()) {
        return Status::error("listen_failed", "AW_HOST '" + config_.host + "' does not resolve: " + aec.message());
      }
      address = results.begin()->endpoint().address();
    }
    opened = open_acceptor(asio::ip::tcp::endpoint(address, config_.port),
                           address.is_v6() && address.to_v6().is_unspecified());
  }
  if (!opened.is_ok()) {
    return Status::error("listen_failed", "cannot listen on " +
                                              (config_.host.empty() ? std::string("*") : config_.host) + ":" +
                                              std::to_string(config_.port) + ": " + opened.message());
  }
  asio::error_code aec;
  bound_port_ = acceptor_.local_endpoint(aec).port();
  if (aec) return Status::error("listen_failed", "cannot read the bound port: " + aec.message());
  wait_acceptable();

  logger_.info("listening", {{"port", static_cast<int>(bound_port_)},
                             {"host", config_.host.empty() ? std::string("::") : config_.host}});
  if (config_.auth_mode == "off" && !is_loopback_host(config_.host)) {
    logger_.warn("AW_AUTH=off on a non-loopback listener: any client that reaches this port is an admin",
                 {{"host", config_.host.empty() ? std::string("::") : config_.host}});
  }
  if (!config_.port_file.empty()) {
    Status written = write_port_file(config_.port_file, bound_port_);
    if (!written.is_ok()) return written;
  }
  return Status::ok();
}

void WsServer::Impl::wait_acceptable() {
  acceptor_.async_wait(asio::ip::tcp::acceptor::wait_read, [this](const asio::error_code& ec) {
    if (!ec) accept_ready();
  });
}

void WsServer::Impl::accept_ready() {
  for (int i = 0; i < kAcceptsPerTurn; ++i) {
    asio::ip::tcp::socket socket(io_);
    asio::error_code ec;
    acceptor_.accept(socket, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      wait_acceptable();
      return;
    }
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec == asio::error::connection_aborted) continue;
    if (ec) {
      // Out of descriptors or memory: the queue of pending connections stays; try again shortly.
      logger_.warn("accept failed", {{"error", ec.message()}});
      accept_retry_timer_.expires_after(kAcceptRetryDelay);
      accept_retry_timer_.async_wait([this](const asio::error_code& wait_ec) {
        if (!wait_ec) accept_ready();
      });
      return;
    }
    // Small frames answer requests: do not let Nagle hold them back behind a delayed ACK.
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    auto connection = std::make_shared<WsConnection>(std::move(socket), *this, read_buffer_, limits_);
    connections_.insert(connection.get());
    connection->start();
  }
  asio::post(io_, [this] {
    if (acceptor_.is_open()) accept_ready();
  });
}

void WsServer::Impl::start_heartbeat() {
  // Fine enough to honour the settings (AW_AUTH_TIMEOUT_MS too when auth is on), coarse enough to cost nothing at
  // the defaults (1 s). Token expiry is checked on the same tick, so a connection closes within 1 s after `exp`.
  auto shortest = std::min(config_.heartbeat_interval_ms, config_.heartbeat_timeout_ms);
  if (authenticator_.is_required()) shortest = std::min(shortest, config_.auth_timeout_ms);
  const auto tick = std::chrono::milliseconds(std::clamp<std::int64_t>(shortest / 4, 10, 1000));
  heartbeat_timer_.expires_after(tick);
  heartbeat_timer_.async_wait([this](const asio::error_code& ec) {
    if (ec || shutting_down_) return;
    service_.on_heartbeat_tick(SteadyClock::now(), now_ms());
    start_heartbeat();
  });
}

void WsServer::Impl::arm_pacing() {
  if (pacing_armed_ || !service_.has_pending_replays()) return;
  pacing_armed_ = true;
  pacing_timer_.expires_after(kPacingPeriod);
  pacing_timer_.async_wait([this](const asio::error_code& ec) {
    pacing_armed_ = false;
    if (ec) return;
    try {
      service_.pump_replays();
    } catch (const std::exception& ex) {
      logger_.error("replay pacing failed", {{"error", ex.what()}});
    }
    arm_pacing();
  });
}

std::optional<HttpResponse> WsServer::Impl::check_upgrade(WsConnection& /*connection*/, const HttpRequest& request) {
  upgrade_principal_.reset();
  try {
    UpgradeAdmission admission =
        admit_upgrade([&request](const char* name) -> const std::string& { return request.get_header(name); },
                      UpgradeAdmissionContext{shutting_down_, config_.max_connections, service_.connection_count(),
                                              origins_, authenticator_, service_.counters(), now_ms()});
    upgrade_principal_ = std::move(admission.principal);
    return std::move(admission.refusal);
  } catch (const std::exception& ex) {
    logger_.error("upgrade validation failed", {{"error", ex.what()}});
    return error_response(500, "Internal error");
  }
}

void WsServer::Impl::on_open(WsConnection& connection) {
  std::optional<Principal> principal = std::move(upgrade_principal_);
  upgrade_principal_.reset();
  try {
    connection.session_id =
        service_.open_session(connection.shared_from_this(), SteadyClock::now(), std::move(principal));
  } catch (const std::exception& ex) {
    fail_connection(connection, "open", ex);
  }
}

void WsServer::Impl::on_ended(WsConnection& connection, int code) {
  connections_.erase(&connection);
  if (connection.session_id == 0) return;
  service_.on_closed(connection.session_id, code);
  connection.session_id = 0;
  if (shutting_down_ && service_.connection_count() == 0) finish_shutdown();
}

void WsServer::Impl::on_text(WsConnection& connection, const std::string& payload) {
  if (connection.session_id == 0) return;
  try {
    service_.on_text(connection.session_id, payload, SteadyClock::now());
    arm_pacing();
  } catch (const std::exception& ex) {
    fail_connection(connection, "message", ex);
  }
}

void WsServer::Impl::on_control(WsConnection& connection) {
  if (connection.session_id != 0) service_.on_control_frame(connection.session_id, SteadyClock::now());
}

HttpResponse WsServer::Impl::on_http_request(const HttpRequest& request) {
  try {
    HttpContext context{&service_, &core_, shutting_down_, started_at_};
    context.bus = bus_status_;
    return handle_http_request(request.get_method(), request.get_uri(), context);
  } catch (const std::exception& ex) {
    logger_.error("http handler failed", {{"error", ex.what()}});
    return error_response(500, "Internal error");
  }
}

void WsServer::Impl::fail_connection(WsConnection& connection, const char* where, const std::exception& ex) {
  logger_.error("connection handler failed", {{"handler", where}, {"error", ex.what()}});
  connection.close(kCloseInternalError, "internal error", 1000);
}

void WsServer::Impl::on_signal() {
  if (shutting_down_) return;
  shutting_down_ = true;
  logger_.info("shutting down", {{"connections", static_cast<std::uint64_t>(service_.connection_count())},
                                 {"graceMs", config_.shutdown_grace_ms}});
  heartbeat_timer_.cancel();
  // `queued` acks still waiting for their sync leave now, with what waits behind them (they would be dropped).
  core_.flush_durability();
  // The close frame queues behind what each connection still has to send, so closing is the flush (§1).
  service_.close_all(kCloseShuttingDown, "shutting down",
                     static_cast<long>(std::max<std::int64_t>(config_.shutdown_grace_ms, 1)));
  if (service_.connection_count() == 0) {
    finish_shutdown();
    return;
  }
  grace_timer_.expires_after(std::chrono::milliseconds(config_.shutdown_grace_ms));
  grace_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) finish_shutdown();
  });
}

void WsServer::Impl::finish_shutdown() {
  if (finished_) return;
  finished_ = true;
  asio::error_code aec;
  acceptor_.close(aec);
  accept_retry_timer_.cancel();
  grace_timer_.cancel();
  pacing_timer_.cancel();
  heartbeat_timer_.cancel();
  signals_.cancel(aec);
  // Connections that did not finish their close handshake within the grace period are dropped.
  for (WsConnection* connection : std::vector<WsConnection*>(connections_.begin(), connections_.end())) {
    connection->terminate();
  }
  io_.stop();
}

WsServer::WsServer(const GatewayConfig& config, GatewayCore& core, const Authenticator& authenticator, Logger logger)
    : impl_(std::make_unique<Impl>(config, core, authenticator, std::move(logger))) {}

WsServer::~WsServer() = default;

Status WsServer::listen() {
  try {
    return impl_->listen();
  } catch (const std::exception& ex) {
    return Status::error("listen_failed", ex.what());
  }
}

std::uint16_t WsServer::port() const { return impl_->bound_port_; }

GatewayService& WsServer::service() { return impl_->service_; }

void WsServer::post(std::function<void()> task) { asio::post(impl_->io_, std::move(task)); }

void WsServer::set_bus_status(const bus::BusStatusView* status) { impl_->bus_status_ = status; }

int WsServer::run() {
  impl_->signals_.async_wait([this](const asio::error_code& ec, int /*signal*/) {
    if (!ec) impl_->on_signal();
  });
  impl_->start_heartbeat();
  // The enqueue's sync runs off the loop from now on; its results come back through post(). The guard joins the
  // sync thread on every way out, before the loop it posts to goes.
  impl_->core_.watch_durability([this](std::function<void()> task) { post(std::move(task)); },
                                [this](DurabilityTicket synced, bool ok) { impl_->service_.on_durable(synced, ok); });
  struct StopWatching {
    GatewayCore& core;
    ~StopWatching() { core.watch_durability({}, {}); }
  } stop_watching{impl_->core_};
  for (;;) {
    try {
      impl_->io_.run();
      break;
    } catch (const std::exception& ex) {
      // Handlers catch their own faults; reaching here is a bug, but one that must not end the other connections.
      impl_->logger_.error("event loop fault", {{"error", ex.what()}});
    }
  }
  impl_->logger_.info("stopped");
  return 0;
}

}  // namespace aw::gateway
