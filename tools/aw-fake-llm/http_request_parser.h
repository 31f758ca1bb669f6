// RequestParser: an incremental HTTP/1.1 request parser for one connection. Bytes go in as they arrive; complete
// requests come out one at a time, so keep-alive and pipelined requests work. Bodies are delimited by
// Content-Length or by chunked transfer coding. Limits are checked before buffering: a head over max_head_bytes
// is refused with 431, a body over max_body_bytes with 413 (as soon as Content-Length or the chunk sizes say so).
// Thread-safety: one parser per connection, used by the connection's thread only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tools/aw-fake-llm/http_message.h"

namespace aw::fake_llm {

// Default limits. 8 MiB holds any prompt the runtime sends (10 history rows of chat text) many times over; a head
// of 64 KiB holds any real set of headers.
inline constexpr std::size_t kDefaultMaxBodyBytes = 8u * 1024u * 1024u;
inline constexpr std::size_t kDefaultMaxHeadBytes = 64u * 1024u;

class RequestParser {
 public:
  enum class Outcome {
    NeedMore,      // feed more bytes
    Request,       // `out` holds the next complete request
    SendContinue,  // the head asked for "Expect: 100-continue" and the body is not here yet: answer 100 first
    Error,         // malformed or over a limit: answer error_status() and close the connection
  };

  explicit RequestParser(std::size_t max_body_bytes = kDefaultMaxBodyBytes,
                         std::size_t max_head_bytes = kDefaultMaxHeadBytes);

  // Appends received bytes.
  void feed(std::string_view bytes);

  // Parses as far as the buffered bytes allow. After Request, call again: pipelined requests may be buffered.
  // After Error the parser stays in error.
  Outcome next(HttpRequest& out);

  // Requires: the last next() returned Error.
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

  // Bytes received and not yet consumed by a request.
  std::size_t buffered_bytes() const { return buffer_.size() - consumed_; }

 private:
  enum class Stage { Head, FixedBody, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Failed };

  Outcome fail(int status, std::string message);
  Outcome parse_head();
  Outcome finish_request(HttpRequest& out);
  // True once per request whose head asked for "Expect: 100-continue", when the body is still missing.
  bool wants_continue();
  // Finds "\r\n" from consumed_; npos when absent.
  std::size_t find_line_end() const;

  const std::size_t max_body_bytes_;
  const std::size_t max_head_bytes_;
  std::string buffer_;
  std::size_t consumed_ = 0;  // bytes of buffer_ already parsed
  Stage stage_ = Stage::Head;
  HttpRequest current_;
  std::size_t body_remaining_ = 0;  // FixedBody: bytes left; ChunkData: bytes left in this chunk
  bool continue_sent_ = false;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace aw::fake_llm
