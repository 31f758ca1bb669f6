// websocketpp configurations for the benchmark programs: plain asio (no TLS, no permessage-deflate) with the
// locks and strands compiled out. websocketpp's stock configs take a mutex around every send and every handler
// and wrap each async operation in a strand; a process that runs one io_context on one thread needs neither,
// so these configs measure what the library costs without them.
// Thread-safety: an endpoint built on these configs, and every connection it owns, must be used only from the
// single thread that runs its io_context.
#pragma once

#include <websocketpp/concurrency/none.hpp>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>
#include <websocketpp/logger/basic.hpp>
#include <websocketpp/random/random_device.hpp>

namespace aw::bench {

// Server side: config::asio minus locks and strands.
struct SingleThreadServerConfig : websocketpp::config::asio {
  typedef SingleThreadServerConfig type;
  typedef websocketpp::config::asio base;

  typedef websocketpp::concurrency::none concurrency_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::elevel> elog_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::alevel> alog_type;

  static bool const enable_multithreading = false;

  struct transport_config : public base::transport_config {
    typedef type::concurrency_type concurrency_type;
    typedef type::alog_type alog_type;
    typedef type::elog_type elog_type;
    static bool const enable_multithreading = false;
  };
  typedef websocketpp::transport::asio::endpoint<transport_config> transport_type;
};

// Client side: config::asio_client minus locks and strands. Frames are still masked with a fresh random key
// (RFC 6455 requires it), drawn from std::random_device without the generator's mutex.
struct SingleThreadClientConfig : websocketpp::config::asio_client {
  typedef SingleThreadClientConfig type;
  typedef websocketpp::config::asio_client base;

  typedef websocketpp::concurrency::none concurrency_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::elevel> elog_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::alevel> alog_type;
  typedef websocketpp::random::random_device::int_generator<uint32_t, concurrency_type> rng_type;

  static bool const enable_multithreading = false;

  struct transport_config : public base::transport_config {
    typedef type::concurrency_type concurrency_type;
    typedef type::alog_type alog_type;
    typedef type::elog_type elog_type;
    static bool const enable_multithreading = false;
  };
  typedef websocketpp::transport::asio::endpoint<transport_config> transport_type;
};

}  // namespace aw::bench
