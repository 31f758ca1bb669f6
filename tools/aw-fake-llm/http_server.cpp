// The listening side of aw-fake-llm (see http_server.h).
#include "tools/aw-fake-llm/http_server.h"

#include <csignal>
#include <utility>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/signal_set.hpp>

#include "tools/aw-fake-llm/http_connection.h"

namespace aw::fake_llm {

class HttpServer::Impl {
 public:
  Impl(ServerSettings settings, RequestHandler handler, Logger log)
      : settings_(std::move(settings)),
        handler_(std::move(handler)),
        log_(std::move(log)),
        acceptor_(io_),
        signals_(io_, SIGINT, SIGTERM) {
    connection_settings_.max_body_bytes = settings_.max_body_bytes;
    connection_settings_.stall_limit = settings_.stall_limit;
  }

  Result<std::uint16_t> listen() {
    asio::error_code ec;
    const asio::ip::address address = asio::ip::make_address(settings_.host, ec);
    if (ec) return Status::invalid_request("--host '" + settings_.host + "' is not a numeric IP address");
    const asio::ip::tcp::endpoint endpoint(address, settings_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::internal("listen on " + settings_.host + ":" + std::to_string(settings_.port) +
                              " failed: " + ec.message());
    }
    const auto local = acceptor_.local_endpoint(ec);
    if (ec) return Status::internal("cannot read the bound port: " + ec.message());
    return local.port();
  }

  void run() {
    signals_.async_wait([this](const asio::error_code& ec, int signal_number) {
      if (ec) return;
      log_.info("stopping", {{"signal", signal_number}});
      asio::error_code close_ec;
      acceptor_.close(close_ec);
      io_.stop();
    });
    accept_next();
    io_.run();
  }

 private:
  void accept_next() {
    acceptor_.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;  // the acceptor was closed at shutdown
      if (!ec) {
        std::make_shared<HttpConnection>(std::move(socket), connection_settings_, handler_, log_, ++next_id_)->start();
      } else {
        // Out of descriptors or a connection reset before accept: this connection is lost, the server goes on.
        log_.warn("accept failed", {{"error", ec.message()}});
      }
      accept_next();
    });
  }

  const ServerSettings settings_;
  ConnectionSettings connection_settings_;
  const RequestHandler handler_;
  const Logger log_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  asio::signal_set signals_;
  std::uint64_t next_id_ = 0;
};

HttpServer::HttpServer(ServerSettings settings, RequestHandler handler, Logger log)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(handler), std::move(log))) {}

HttpServer::~HttpServer() = default;

Result<std::uint16_t> HttpServer::listen() { return impl_->listen(); }

void HttpServer::run() { impl_->run(); }

}  // namespace aw::fake_llm
