// GatewayWsConfig: the websocketpp configuration of aw-gateway's listener. Plain TCP (no TLS, no permessage-deflate)
// as config::asio, minus its locks and strands, with a smaller read buffer.
//
// - Lock-free: websocketpp's stock config takes a mutex around every send and handler and wraps every async
//   operation in a strand, which buys nothing here: one thread runs the io_context, and every endpoint and
//   connection call happens on it (WsServer's handlers, timers and posted tasks). Other threads (the bus reader)
//   only asio::post() into the io_context, which Asio makes thread-safe whatever websocketpp's concurrency policy
//   is. About a fifth of the bare echo's instructions per round trip (docs/benchmarks.md).
// - connection_read_buffer_size 1 KiB instead of 16 KiB: the buffer is a member array of every connection (the
//   connection object is 3.9 KiB plus the buffer), so this is 15 KiB less heap and about 3 KiB less RSS per idle
//   connection than 4 KiB was (docs/benchmarks.md). Client frames are small (a command is about 80 bytes, so one
//   read still takes a dozen pipelined ones); a larger frame (up to AW_MAX_FRAME_BYTES) is read in several reads.
// - No socket post-init timer (transport_config::timeout_socket_post_init = 0): it bounds a TLS handshake; plain TCP
//   has none. No shutdown timer either (ws_connection_overrides.h). The open and close handshake timeouts are
//   unchanged.
// - No log channels at compile time (alog_level, elog_level = none): WsServer turns every channel off at run time,
//   so none could be used anyway. The per-connection summary lines, which websocketpp formats before asking whether
//   their channel is on, are skipped while it is off (ws_connection_overrides.h).
//
// Thread-safety: an endpoint on this config, and every connection it owns, must only be used from the thread that
// runs its io_context. Include only from the websocketpp translation unit (gateway/server/ws_server.cpp).
#pragma once

#include <cstddef>

#include <websocketpp/concurrency/none.hpp>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/logger/basic.hpp>

namespace aw::gateway {

struct GatewayWsConfig : websocketpp::config::asio {
  typedef GatewayWsConfig type;
  typedef websocketpp::config::asio base;

  typedef websocketpp::concurrency::none concurrency_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::elevel> elog_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::alevel> alog_type;

  static bool const enable_multithreading = false;
  static std::size_t const connection_read_buffer_size = 1024;
  static const websocketpp::log::level alog_level = websocketpp::log::alevel::none;
  static const websocketpp::log::level elog_level = websocketpp::log::elevel::none;

  struct transport_config : public base::transport_config {
    typedef type::concurrency_type concurrency_type;
    typedef type::alog_type alog_type;
    typedef type::elog_type elog_type;
    static bool const enable_multithreading = false;
    // No post-init timer: on a plain TCP socket post_init completes at once (there is no TLS handshake to bound), so
    // websocketpp's 5 s timer was created and cancelled on every accept (about 2,500 instructions).
    static const long timeout_socket_post_init = 0;
  };
  typedef websocketpp::transport::asio::endpoint<transport_config> transport_type;
};

}  // namespace aw::gateway

#include "gateway/server/ws_connection_overrides.h"  // IWYU pragma: keep (specializations for this config)
