// One HTTP/1.1 connection of aw-fake-llm (see http_connection.h).
#include "tools/aw-fake-llm/http_connection.h"

#include <exception>
#include <utility>

#include <asio/buffer.hpp>
#include <asio/write.hpp>

namespace aw::fake_llm {

namespace {

std::string response_head(const HttpResponse& response, bool keep_alive, bool chunked) {
  std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " + reason_phrase(response.status) + "\r\n";
  head += "Server: aw-fake-llm\r\n";
  for (const auto& h : response.headers) head += h.name + ": " + h.value + "\r\n";
  if (chunked) {
    head += "Transfer-Encoding: chunked\r\n";
  } else {
    head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  }
  head += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  head += "\r\n";
  return head;
}

// How long a closing connection waits for the client to close its side (see linger_close).
constexpr std::chrono::milliseconds kLingerLimit{2000};

void append_chunk(std::string& out, const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string size;
  for (std::size_t n = bytes.size(); n > 0; n /= 16) size.insert(size.begin(), kHex[n % 16]);
  out += size;
  out += "\r\n";
  out += bytes;
  out += "\r\n";
}

}  // namespace

HttpConnection::HttpConnection(asio::ip::tcp::socket socket, const ConnectionSettings& settings,
                               const RequestHandler& handler, Logger log, std::uint64_t id)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      settings_(settings),
      handler_(handler),
      log_(std::move(log)),
      id_(id),
      parser_(settings.max_body_bytes) {}

template <typename Next>
void HttpConnection::write_out(Next next) {
  if (closed_) return;
  asio::async_write(socket_, asio::buffer(out_),
                    [self = shared_from_this(), next = std::move(next)](const asio::error_code& ec, std::size_t) {
                      if (ec) {
                        self->close();
                        return;
                      }
                      if (self->closed_) return;
                      next();
                    });
}

void HttpConnection::start() {
  asio::error_code ec;
  // Stream pieces are small and timed: Nagle's algorithm would hold them back waiting for ACKs.
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  log_.debug("connection opened", {{"conn", id_}});
  read_more();
}

void HttpConnection::read_more() {
  socket_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
                            if (ec) {
                              self->close();
                              return;
                            }
                            self->parser_.feed(std::string_view(self->read_buffer_.data(), n));
                            self->serve_buffered();
                          });
}

void HttpConnection::serve_buffered() {
  if (closed_) return;
  HttpRequest request;
  switch (parser_.next(request)) {
    case RequestParser::Outcome::NeedMore:
      read_more();
      return;
    case RequestParser::Outcome::SendContinue:
      out_ = "HTTP/1.1 100 Continue\r\n\r\n";
      write_out([this] { serve_buffered(); });
      return;
    case RequestParser::Outcome::Error: {
      log_.debug("bad request", {{"conn", id_}, {"status", parser_.error_status()}});
      head_request_ = false;
      respond(HttpResponse::error(parser_.error_status(), parser_.error_message()), false);
      return;
    }
    case RequestParser::Outcome::Request:
      break;
  }
  HttpResponse response;
  try {
    response = handler_(request);
  } catch (const std::exception& e) {
    // The handler's contract is not to throw; if it does, this request fails and the connection ends, not the
    // process.
    log_.error("request handler failed", {{"conn", id_}, {"path", request.path}, {"error", e.what()}});
    response = HttpResponse::error(500, "aw-fake-llm: internal error");
    response.close_after = true;
  }
  log_.debug("request", {{"conn", id_},
                         {"method", request.method},
                         {"path", request.path},
                         {"status", response.status},
                         {"bytes", static_cast<std::uint64_t>(request.body.size())}});
  head_request_ = request.method == "HEAD";
  const bool keep_alive = request.keep_alive() && !response.close_after;
  respond(std::move(response), keep_alive);
}

void HttpConnection::respond(HttpResponse response, bool keep_alive) {
  response_ = std::move(response);
  keep_alive_ = keep_alive;
  const bool delayed = response_.delivery == Delivery::Whole || response_.delivery == Delivery::CloseWithoutAnswer;
  if (!delayed || response_.delay.count() <= 0) {
    deliver();
    return;
  }
  timer_.expires_after(response_.delay);
  timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (ec || self->closed_) return;
    self->deliver();
  });
}

void HttpConnection::deliver() {
  switch (response_.delivery) {
    case Delivery::Whole:
      out_ = response_head(response_, keep_alive_, false);
      if (!head_request_) out_ += response_.body;
      write_out([this] { after_response(); });
      return;
    case Delivery::Chunked:
      send_pieces(0, response_head(response_, keep_alive_, true), false);
      return;
    case Delivery::CloseWithoutAnswer:
      linger_close();
      return;
    case Delivery::HangWithoutAnswer:
      hang();
      return;
  }
}

void HttpConnection::send_pieces(std::size_t index, std::string out, bool due) {
  const auto& pieces = response_.pieces;
  // Piece `index` goes now if it is due (its delay has passed); every following piece without a delay goes out in
  // the same write.
  while (index < pieces.size() && (due || pieces[index].delay.count() <= 0)) {
    if (!pieces[index].bytes.empty()) append_chunk(out, pieces[index].bytes);
    due = false;
    ++index;
  }
  const bool finished = index == pieces.size();
  if (finished && response_.stream_end == StreamEnd::Complete) out += "0\r\n\r\n";
  out_ = std::move(out);
  write_out([this, index, finished] {
    if (!finished) {
      timer_.expires_after(response_.pieces[index].delay);
      timer_.async_wait([self = shared_from_this(), index](const asio::error_code& ec) {
        if (ec || self->closed_) return;
        self->send_pieces(index, std::string(), true);
      });
      return;
    }
    switch (response_.stream_end) {
      case StreamEnd::Complete:
        after_response();
        return;
      case StreamEnd::Cut:
        linger_close();
        return;
      case StreamEnd::Stall:
        hang();
        return;
    }
  });
}

void HttpConnection::after_response() {
  if (!keep_alive_) {
    linger_close();
    return;
  }
  response_ = HttpResponse();
  serve_buffered();
}

void HttpConnection::hang() {
  timer_.expires_after(settings_.stall_limit);
  timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (ec) return;
    self->log_.debug("stall limit reached", {{"conn", self->id_}});
    self->close();
  });
  discard_until_eof();
}

void HttpConnection::linger_close() {
  if (closed_) return;
  // Closing a socket with unread input makes the kernel send a reset, which can destroy the answer still in flight
  // (a 413 sent while the client is still uploading). So: FIN first, then read and drop until the client closes.
  asio::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  timer_.expires_after(kLingerLimit);
  timer_.async_wait([self = shared_from_this()](const asio::error_code& wait_ec) {
    if (!wait_ec) self->close();
  });
  discard_until_eof();
}

void HttpConnection::discard_until_eof() {
  socket_.async_read_some(asio::buffer(read_buffer_),
                          [self = shared_from_this()](const asio::error_code& ec, std::size_t) {
                            if (ec) {
                              self->close();
                              return;
                            }
                            self->discard_until_eof();
                          });
}

void HttpConnection::close() {
  if (closed_) return;
  closed_ = true;
  timer_.cancel();
  asio::error_code ec;
  // Shutdown first so that bytes already written reach the client before the FIN.
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  log_.debug("connection closed", {{"conn", id_}});
}

}  // namespace aw::fake_llm
