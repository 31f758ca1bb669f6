// ws_echo_baseline: a bare websocketpp echo server, the raw limit that aw-gateway is measured against.
// Built from the same packages as the gateway (websocketpp 0.8.2, standalone Asio), plain TCP, no TLS, no
// permessage-deflate, one thread running one io_context, like the gateway's loop. Every text or binary frame is
// sent back unchanged with the same opcode. Listens on 127.0.0.1 only.
//
//   ws_echo_baseline [--port 0] [--port-file FILE] [--locking] [--broadcast]
//
// With --port 0 the OS picks the port; it is printed as a JSON line on stdout and, with --port-file, written to
// FILE the way aw-gateway writes AW_PORT_FILE. --locking uses websocketpp's stock config::asio (a mutex per send
// and handler, a strand per operation) instead of the lock-free single-thread config: comparing the two shows
// what those locks cost. --broadcast sends every frame received to every open connection (the sender included)
// instead of echoing it: the raw fan-out limit for aw_fanout (one send, i.e. one copy, per connection, as
// aw-gateway's session layer does). SIGINT or SIGTERM stops it with status 0.
// Thread-safety: single-threaded; everything runs on the io_context thread.
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <set>
#include <string>

#include <CLI/CLI.hpp>
#include <asio/signal_set.hpp>
#include <websocketpp/server.hpp>

#include "bench/lib/json_line.h"
#include "bench/lib/port_file.h"
#include "bench/lib/ws_configs.h"

namespace {

struct EchoOptions {
  std::uint16_t port = 0;
  std::string port_file;
  bool locking = false;
  bool broadcast = false;
  // Same default inbound cap as aw-gateway (AW_MAX_FRAME_BYTES), so both refuse the same frames.
  std::size_t max_message_bytes = 1048576;
};

template <typename Config>
int run_echo(const EchoOptions& options) {
  using Server = websocketpp::server<Config>;
  Server server;
  server.clear_access_channels(websocketpp::log::alevel::all);
  server.clear_error_channels(websocketpp::log::elevel::all);
  server.init_asio();
  server.set_reuse_addr(true);
  // The connect benchmark opens 1000+ connections at once; the backlog must hold them all.
  server.set_listen_backlog(4096);
  server.set_max_message_size(options.max_message_bytes);

  // TCP_NODELAY after the socket is open (in the socket-init handler it throws "Bad file descriptor").
  server.set_tcp_post_init_handler([&server](websocketpp::connection_hdl hdl) {
    websocketpp::lib::error_code ec;
    auto con = server.get_con_from_hdl(hdl, ec);
    if (ec) return;
    asio::error_code opt_ec;
    con->get_socket().set_option(asio::ip::tcp::no_delay(true), opt_ec);
  });
  // Open connections, for --broadcast.
  std::set<websocketpp::connection_hdl, std::owner_less<websocketpp::connection_hdl>> open_conns;
  if (options.broadcast) {
    server.set_open_handler([&open_conns](websocketpp::connection_hdl hdl) { open_conns.insert(hdl); });
    server.set_close_handler([&open_conns](websocketpp::connection_hdl hdl) { open_conns.erase(hdl); });
    server.set_fail_handler([&open_conns](websocketpp::connection_hdl hdl) { open_conns.erase(hdl); });
  }
  server.set_message_handler(
      [&server, &open_conns, &options](websocketpp::connection_hdl hdl, typename Server::message_ptr msg) {
        websocketpp::lib::error_code ec;
        // A failed send means the peer is going away; its close handshake or socket error ends the connection.
        if (!options.broadcast) {
          server.send(hdl, msg->get_payload(), msg->get_opcode(), ec);
          return;
        }
        for (const websocketpp::connection_hdl& to : open_conns)
          server.send(to, msg->get_payload(), msg->get_opcode(), ec);
      });

  websocketpp::lib::error_code ec;
  server.listen(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), options.port), ec);
  if (ec) {
    std::fprintf(stderr, "ws_echo_baseline: listen on 127.0.0.1:%u failed: %s\n", options.port, ec.message().c_str());
    return 1;
  }
  server.start_accept(ec);
  if (ec) {
    std::fprintf(stderr, "ws_echo_baseline: accept failed: %s\n", ec.message().c_str());
    return 1;
  }
  asio::error_code ep_ec;
  const auto local = server.get_local_endpoint(ep_ec);
  if (ep_ec) {
    std::fprintf(stderr, "ws_echo_baseline: cannot read bound port: %s\n", ep_ec.message().c_str());
    return 1;
  }
  if (!options.port_file.empty()) {
    const aw::Status written = aw::bench::write_port_file(options.port_file, local.port());
    if (!written.is_ok()) {
      std::fprintf(stderr, "ws_echo_baseline: %s\n", written.message().c_str());
      return 1;
    }
  }
  aw::bench::JsonLine()
      .add("event", "listening")
      .add("port", static_cast<std::int64_t>(local.port()))
      .add("config", options.locking ? "locking" : "single-thread")
      .add("broadcast", options.broadcast)
      .print();

  asio::signal_set signals(server.get_io_service(), SIGINT, SIGTERM);
  signals.async_wait([&server](const asio::error_code& wait_ec, int) {
    if (wait_ec) return;
    websocketpp::lib::error_code stop_ec;
    server.stop_listening(stop_ec);
    // Open connections are not closed one by one: the process exits and the kernel closes the sockets.
    server.stop();
  });
  server.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  EchoOptions options;
  CLI::App app{"Bare websocketpp echo server: the raw limit aw-gateway is compared against"};
  app.add_option("--port", options.port, "TCP port on 127.0.0.1; 0 lets the OS pick");
  app.add_option("--port-file", options.port_file, "Write the bound port to this file (atomically)");
  app.add_flag("--locking", options.locking, "Use websocketpp's stock config::asio (mutexes, strands)");
  app.add_flag("--broadcast", options.broadcast, "Send every frame to every open connection instead of echoing it");
  app.add_option("--max-message-bytes", options.max_message_bytes, "Inbound frame cap");
  CLI11_PARSE(app, argc, argv);

  try {
    return options.locking ? run_echo<websocketpp::config::asio>(options)
                           : run_echo<aw::bench::SingleThreadServerConfig>(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ws_echo_baseline: %s\n", e.what());
    return 1;
  }
}
