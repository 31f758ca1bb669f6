// HttpConnection: one accepted TCP connection of aw-fake-llm. Reads requests (keep-alive, pipelining,
// Content-Length and chunked bodies, Expect: 100-continue), hands each to the RequestHandler and delivers the
// HttpResponse it returns: a whole body, or a chunked stream whose pieces are sent on an Asio timer, which may end
// cleanly, be cut (connection closed without the terminator) or stall (nothing more until the client leaves or the
// stall limit passes). Requests on one connection are served one after the other.
// Internal to the server: only http_server.cpp includes this header (it pulls in Asio).
// Thread-safety: loop thread only. Every async completion holds a shared_ptr to the connection.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "common/log.h"
#include "tools/aw-fake-llm/http_message.h"
#include "tools/aw-fake-llm/http_request_parser.h"

namespace aw::fake_llm {

struct ConnectionSettings {
  std::size_t max_body_bytes = kDefaultMaxBodyBytes;
  // The longest a stalled response keeps its connection open: the fake never holds a socket forever, however
  // patient the client. 60 s is longer than any client timeout a test sets.
  std::chrono::milliseconds stall_limit{60000};
};

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  // `settings` and `handler` must outlive the connection (the server owns them).
  HttpConnection(asio::ip::tcp::socket socket, const ConnectionSettings& settings, const RequestHandler& handler,
                 Logger log, std::uint64_t id);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Starts reading. Requires: called once, on the loop thread.
  void start();

 private:
  void read_more();
  void serve_buffered();
  void respond(HttpResponse response, bool keep_alive);
  void deliver();
  // Writes `out` (the head, or nothing) and the pieces from `index` on that may go now: piece `index` if `due` (its
  // delay has passed) or undelayed, and the undelayed pieces after it. Then waits for the next piece's delay.
  void send_pieces(std::size_t index, std::string out, bool due);
  void after_response();
  // Keeps the connection without answering until the client closes it or the stall limit passes.
  void hang();
  // Ends the connection after a response: FIN now, the socket closed when the client closes its side.
  void linger_close();
  // Reads and drops input until EOF or an error, then closes.
  void discard_until_eof();
  void close();
  // Writes out_ and runs `next` on success; closes on failure (the client went away).
  template <typename Next>
  void write_out(Next next);

  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  const ConnectionSettings& settings_;
  const RequestHandler& handler_;
  const Logger log_;
  const std::uint64_t id_;
  RequestParser parser_;
  std::array<char, 16384> read_buffer_{};
  std::string out_;          // the bytes of the write in flight
  HttpResponse response_;    // the response being delivered
  bool keep_alive_ = false;  // of the response being delivered
  bool head_request_ = false;
  bool closed_ = false;
};

}  // namespace aw::fake_llm
