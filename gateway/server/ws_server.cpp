// WsServer: the websocketpp adapter (see ws_server.h). The only translation unit of the gateway that includes
// websocketpp. Every handler ends in one catch: a fault closes that connection (4011), never the process.
#include "gateway/server/ws_server.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <optional>
#include <string>

#include <asio.hpp>
#include <websocketpp/server.hpp>

#include "common/json.h"
#include "gateway/server/http_endpoints.h"
#include "gateway/server/origin_policy.h"
#include "gateway/server/port_file.h"
#include "gateway/server/upgrade_headers.h"
#include "gateway/server/ws_config.h"
#include "gateway/server/ws_transport.h"
#include "gateway/session/gateway_service.h"
#include "gateway/session/jwt_verifier.h"

namespace aw::gateway {
namespace {

using Server = websocketpp::server<GatewayWsConfig>;
using Hdl = websocketpp::connection_hdl;
using SteadyClock = std::chrono::steady_clock;

// Period of the replay pacing check while a replay waits for its socket to drain.
constexpr auto kPacingPeriod = std::chrono::milliseconds(5);
// Largest body accepted on a plain HTTP request (the endpoints take none).
constexpr std::size_t kMaxHttpBodyBytes = 64 * 1024;

}  // namespace

struct WsServer::Impl {
  Impl(const GatewayConfig& cfg, GatewayCore& core_ref, const Authenticator& auth, Logger log)
      : config_(cfg),
        core_(core_ref),
        authenticator_(auth),
        logger_(std::move(log)),
        service_(core_ref, auth, to_service_options(cfg), logger_),
        origins_(cfg.allowed_origins),
        heartbeat_timer_(io_),
        pacing_timer_(io_),
        grace_timer_(io_),
        signals_(io_, SIGINT, SIGTERM) {}

  void setup();
  Status listen();
  void start_heartbeat();
  void arm_pacing();
  void on_signal();
  void finish_shutdown();

  // Handlers
  bool on_validate(Hdl hdl);
  void on_open(Hdl hdl);
  void on_close(Hdl hdl);
  void on_message(Hdl hdl, const Server::message_ptr& msg);
  void on_control(Hdl hdl);
  void on_http(Hdl hdl);

  std::optional<SessionId> session_of(const Hdl& hdl) const {
    auto it = sessions_.find(hdl);
    if (it == sessions_.end()) return std::nullopt;
    return it->second;
  }
  void fail_connection(const Hdl& hdl, const char* where, const std::exception& ex);

  const GatewayConfig config_;
  GatewayCore& core_;
  const Authenticator& authenticator_;
  const Logger logger_;
  asio::io_context io_;
  Server endpoint_;
  GatewayService service_;
  OriginPolicy origins_;
  asio::steady_timer heartbeat_timer_;
  asio::steady_timer pacing_timer_;
  asio::steady_timer grace_timer_;
  asio::signal_set signals_;
  std::map<Hdl, SessionId, std::owner_less<Hdl>> sessions_;
  std::map<Hdl, Principal, std::owner_less<Hdl>> header_principals_;  // validated Bearer tokens, until on_open
  const bus::BusStatusView* bus_status_ = nullptr;
  bool pacing_armed_ = false;
  bool shutting_down_ = false;
  bool finished_ = false;
  bool bind_v6_dual_stack_ = false;
  std::uint16_t bound_port_ = 0;
  SteadyClock::time_point started_at_ = SteadyClock::now();
};

void WsServer::Impl::setup() {
  endpoint_.clear_access_channels(websocketpp::log::alevel::all);
  endpoint_.clear_error_channels(websocketpp::log::elevel::all);
  endpoint_.init_asio(&io_);
  endpoint_.set_reuse_addr(true);
  endpoint_.set_max_message_size(static_cast<std::size_t>(config_.max_frame_bytes));
  endpoint_.set_max_http_body_size(kMaxHttpBodyBytes);
  endpoint_.set_tcp_pre_bind_handler([this](const std::shared_ptr<asio::ip::tcp::acceptor>& acceptor) {
    websocketpp::lib::asio::error_code ec;
    // Dual-stack as the TypeScript server listened: `localhost` may resolve to ::1 or 127.0.0.1 (§1).
    if (bind_v6_dual_stack_) acceptor->set_option(asio::ip::v6_only(false), ec);
    return websocketpp::lib::error_code();
  });
  endpoint_.set_tcp_post_init_handler([this](Hdl hdl) {
    websocketpp::lib::error_code ec;
    auto con = endpoint_.get_con_from_hdl(hdl, ec);
    websocketpp::lib::asio::error_code aec;
    // Small frames answer requests: do not let Nagle hold them back behind a delayed ACK.
    if (con) con->get_socket().set_option(asio::ip::tcp::no_delay(true), aec);
  });
  endpoint_.set_validate_handler([this](Hdl hdl) { return on_validate(hdl); });
  endpoint_.set_open_handler([this](Hdl hdl) { on_open(hdl); });
  endpoint_.set_close_handler([this](Hdl hdl) { on_close(hdl); });
  // An upgrade that failed after validation never opens: forget its validated token.
  endpoint_.set_fail_handler([this](Hdl hdl) { header_principals_.erase(hdl); });
  endpoint_.set_message_handler([this](Hdl hdl, Server::message_ptr msg) { on_message(hdl, msg); });
  endpoint_.set_pong_handler([this](Hdl hdl, std::string) { on_control(hdl); });
  endpoint_.set_ping_handler([this](Hdl hdl, std::string) {
    on_control(hdl);
    return true;  // answer with a pong (§3.3)
  });
  endpoint_.set_http_handler([this](Hdl hdl) { on_http(hdl); });
}

Status WsServer::Impl::listen() {
  websocketpp::lib::error_code ec;
  asio::ip::tcp::endpoint where;
  if (config_.host.empty()) {
    bind_v6_dual_stack_ = true;
    endpoint_.listen(asio::ip::tcp::endpoint(asio::ip::address_v6::any(), config_.port), ec);
    if (ec) {
      logger_.info("IPv6 unavailable, listening on IPv4 only", {{"error", ec.message()}});
      bind_v6_dual_stack_ = false;
      ec.clear();
      endpoint_.listen(asio::ip::tcp::endpoint(asio::ip::address_v4::any(), config_.port), ec);
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
    bind_v6_dual_stack_ = address.is_v6() && address.to_v6().is_unspecified();
    endpoint_.listen(asio::ip::tcp::endpoint(address, config_.port), ec);
  }
  if (ec) {
    return Status::error("listen_failed", "cannot listen on " +
                                              (config_.host.empty() ? std::string("*") : config_.host) + ":" +
                                              std::to_string(config_.port) + ": " + ec.message());
  }
  endpoint_.start_accept(ec);
  if (ec) return Status::error("listen_failed", "cannot accept connections: " + ec.message());
  asio::error_code aec;
  bound_port_ = endpoint_.get_local_endpoint(aec).port();
  if (aec) return Status::error("listen_failed", "cannot read the bound port: " + aec.message());

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

bool WsServer::Impl::on_validate(Hdl hdl) {
  auto con = endpoint_.get_con_from_hdl(hdl);
  const auto refuse = [&](websocketpp::http::status_code::value status, const char* reason) {
    con->set_status(status);
    con->append_header("Access-Control-Allow-Origin", "*");
    con->append_header("Content-Type", "application/json");
    con->set_body(std::string(R"({"error":")") + reason + "\"}");
    logger_.debug("upgrade refused", {{"status", static_cast<int>(status)}, {"reason", reason}});
    return false;
  };
  try {
    if (shutting_down_) return refuse(websocketpp::http::status_code::service_unavailable, "Shutting down");
    if (config_.max_connections > 0 &&
        static_cast<std::int64_t>(service_.connection_count()) >= config_.max_connections) {
      service_.counters().count_limit(kLimitConnections);
      return refuse(websocketpp::http::status_code::service_unavailable, "Too many connections");
    }
    // Each header lookup is a case-insensitive map search (about 1,000 instructions): Host only when an Origin needs
    // it, Authorization only when tokens are checked.
    const std::string& origin = con->get_request_header("Origin");
    if (!origin.empty() && !origins_.allows(origin, con->get_request_header("Host"))) {
      service_.counters().count_limit(kLimitOrigin);
      return refuse(websocketpp::http::status_code::forbidden, "Origin not allowed");
    }
    if (!authenticator_.is_required()) return true;
    const std::string& authorization = con->get_request_header("Authorization");
    if (!authorization.empty()) {
      const std::optional<std::string_view> token = bearer_token(authorization);
      if (!token) {
        service_.counters().count_auth_failure(kTokenMalformed);
        return refuse(websocketpp::http::status_code::unauthorized, "Invalid token");
      }
      Result<Principal> principal = authenticator_.authenticate(*token, now_ms());
      if (!principal.is_ok()) {
        service_.counters().count_auth_failure(principal.status().code());
        return refuse(websocketpp::http::status_code::unauthorized,
                      principal.status().code() == kTokenExpired ? "Token expired" : "Invalid token");
      }
      principal->authenticated = true;
      header_principals_[hdl] = std::move(principal).value();
    }
    return true;
  } catch (const std::exception& ex) {
    logger_.error("upgrade validation failed", {{"error", ex.what()}});
    return refuse(websocketpp::http::status_code::internal_server_error, "Internal error");
  }
}

void WsServer::Impl::on_open(Hdl hdl) {
  try {
    auto con = endpoint_.get_con_from_hdl(hdl);
    std::optional<Principal> principal;
    if (auto it = header_principals_.find(hdl); it != header_principals_.end()) {
      principal = std::move(it->second);
      header_principals_.erase(it);
    }
    const SessionId id =
        service_.open_session(std::make_shared<WsTransport>(con, io_), SteadyClock::now(), std::move(principal));
    sessions_.emplace(hdl, id);
  } catch (const std::exception& ex) {
    fail_connection(hdl, "open", ex);
  }
}

void WsServer::Impl::on_close(Hdl hdl) {
  header_principals_.erase(hdl);
  auto id = session_of(hdl);
  if (!id) return;
  sessions_.erase(hdl);
  int code = static_cast<int>(websocketpp::close::status::abnormal_close);
  websocketpp::lib::error_code ec;
  if (auto con = endpoint_.get_con_from_hdl(hdl, ec)) code = static_cast<int>(con->get_local_close_code());
  // Posted: a close can be reported from inside a send (terminate runs its handler synchronously), and the service
  // must not lose a session while it walks its sessions.
  asio::post(io_, [this, session = *id, code] {
    service_.on_closed(session, code);
    if (shutting_down_ && service_.connection_count() == 0) finish_shutdown();
  });
}

void WsServer::Impl::on_message(Hdl hdl, const Server::message_ptr& msg) {
  auto id = session_of(hdl);
  if (!id) return;
  try {
    const std::string& payload = msg->get_payload();
    // A binary frame is handled as text (§1); websocketpp has already checked the UTF-8 of text frames.
    if (msg->get_opcode() == websocketpp::frame::opcode::binary && !json::is_valid_utf8(payload)) {
      auto con = endpoint_.get_con_from_hdl(hdl);
      websocketpp::lib::error_code ec;
      con->close(websocketpp::close::status::invalid_payload, "invalid UTF-8", ec);
      return;
    }
    service_.on_text(*id, payload, SteadyClock::now());
    arm_pacing();
  } catch (const std::exception& ex) {
    fail_connection(hdl, "message", ex);
  }
}

void WsServer::Impl::on_control(Hdl hdl) {
  if (auto id = session_of(hdl)) service_.on_control_frame(*id, SteadyClock::now());
}

void WsServer::Impl::on_http(Hdl hdl) {
  auto con = endpoint_.get_con_from_hdl(hdl);
  HttpResponse response;
  try {
    HttpContext context{&service_, &core_, shutting_down_, started_at_};
    context.bus = bus_status_;
    response = handle_http_request(con->get_request().get_method(), con->get_resource(), context);
  } catch (const std::exception& ex) {
    logger_.error("http handler failed", {{"error", ex.what()}});
    response.status = 500;
    response.body = R"({"error":"Internal error"})";
  }
  con->set_status(static_cast<websocketpp::http::status_code::value>(response.status));
  con->append_header("Content-Type", response.content_type);
  con->append_header("Access-Control-Allow-Origin", "*");
  con->set_body(response.body);
}

void WsServer::Impl::fail_connection(const Hdl& hdl, const char* where, const std::exception& ex) {
  logger_.error("connection handler failed", {{"handler", where}, {"error", ex.what()}});
  websocketpp::lib::error_code ec;
  auto con = endpoint_.get_con_from_hdl(hdl, ec);
  if (!con) return;
  con->set_close_handshake_timeout(1000);
  con->close(static_cast<websocketpp::close::status::value>(kCloseInternalError), "internal error", ec);
}

void WsServer::Impl::on_signal() {
  if (shutting_down_) return;
  shutting_down_ = true;
  logger_.info("shutting down", {{"connections", static_cast<std::uint64_t>(service_.connection_count())},
                                 {"graceMs", config_.shutdown_grace_ms}});
  heartbeat_timer_.cancel();
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
  websocketpp::lib::error_code ec;
  endpoint_.stop_listening(ec);
  grace_timer_.cancel();
  pacing_timer_.cancel();
  heartbeat_timer_.cancel();
  asio::error_code aec;
  signals_.cancel(aec);
  // Connections that did not finish their close handshake within the grace period are dropped.
  for (const auto& [hdl, id] : std::map<Hdl, SessionId, std::owner_less<Hdl>>(sessions_)) {
    if (auto con = endpoint_.get_con_from_hdl(hdl, ec)) con->terminate(websocketpp::lib::error_code());
  }
  io_.stop();
}

WsServer::WsServer(const GatewayConfig& config, GatewayCore& core, const Authenticator& authenticator, Logger logger)
    : impl_(std::make_unique<Impl>(config, core, authenticator, std::move(logger))) {
  impl_->setup();
}

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
