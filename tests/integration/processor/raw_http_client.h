// A tiny blocking HTTP/1.1 client over a plain POSIX socket on 127.0.0.1, for tests that must see exactly what a
// server sends: the status line and headers, each chunk of a chunked body with its arrival time, and how the
// response ended (complete, connection closed early, or nothing more before the deadline). Requests are raw
// bytes, so tests can also send pipelined, chunked or malformed requests.
// No cpprest, no Asio: any test target can use it.
// Thread-safety: a RawHttpConnection belongs to one thread; the free functions are safe from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace aw::test {

struct RawHttpResponse {
  enum class End {
    Complete,  // the body ended as framed (Content-Length, terminating chunk, or EOF for close-delimited)
    Closed,    // the connection closed before the end of the head or body
    TimedOut,  // nothing more arrived before the deadline
    Partial,   // stopped after the number of chunks the caller asked for; the rest is left unread
  };

  int status = 0;  // 0 when no head arrived; 100 when only an interim answer did
  std::string reason;
  std::map<std::string, std::string> headers;  // names lowercased
  bool chunked = false;
  std::string body;                 // de-chunked
  std::vector<std::string> chunks;  // payload of each HTTP chunk, in order (chunked responses)
  std::vector<std::chrono::steady_clock::time_point> chunk_times;  // arrival of each chunk
  End end = End::Complete;

  // The header's value, "" when absent.
  std::string header(const std::string& lowercase_name) const;
};

class RawHttpConnection {
 public:
  // Connects to 127.0.0.1:port.
  static Result<RawHttpConnection> connect(int port);

  RawHttpConnection(RawHttpConnection&& other) noexcept;
  RawHttpConnection& operator=(RawHttpConnection&& other) noexcept;
  RawHttpConnection(const RawHttpConnection&) = delete;
  RawHttpConnection& operator=(const RawHttpConnection&) = delete;
  ~RawHttpConnection();

  // Sends all bytes (MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE).
  Status send(std::string_view bytes);

  // Reads the next response (skipping 1xx interim responses), waiting at most `timeout` in total. With
  // `max_chunks`, returns (End::Partial) as soon as that many chunks of a chunked body have arrived: a test can
  // look at the start of a stream that is meant to stall without waiting for a timeout.
  RawHttpResponse read_response(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
                                std::size_t max_chunks = static_cast<std::size_t>(-1));

  // The bytes that arrive within `window` (less if the server closes first). "" when the server stays silent.
  std::string read_for(std::chrono::milliseconds window);

  // Waits until the server closes the connection (true) or `timeout` passes (false). Received bytes are dropped.
  bool wait_closed(std::chrono::milliseconds timeout);

  void close();

 private:
  explicit RawHttpConnection(int fd) : fd_(fd) {}
  enum class Fill { Data, Closed, TimedOut };
  // Reads more bytes into buffer_ before `deadline`.
  Fill fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;  // received and not yet consumed
};

// The bytes of a request. Adds Host and, when body is not empty or the method is POST, Content-Length.
// `headers` are added as given ({"Authorization", "Bearer k"}).
std::string http_request_text(std::string_view method, std::string_view target, std::string_view body = {},
                              const std::vector<std::pair<std::string, std::string>>& headers = {},
                              bool keep_alive = true);

// One request on a fresh connection with "Connection: close"; the response as read (status 0 when the
// connection could not be made).
RawHttpResponse http_exchange(int port, std::string_view method, std::string_view target, std::string_view body = {},
                              const std::vector<std::pair<std::string, std::string>>& headers = {},
                              std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

}  // namespace aw::test
