// SseParser: turns the bytes of a text/event-stream body into events (the WHATWG Server-Sent Events rules that
// the LLM APIs use). Pure: no I/O, so every edge case is unit-tested without a socket.
// Handles lines split across reads (also a CRLF split between two reads), LF, CR and CRLF terminators, a leading
// BOM, comments and keep-alives (`:` lines, blank lines without data), events with several `data:` lines (joined
// with '\n'), and bounds every line and event so a hostile server cannot make it buffer without limit. Bytes are
// buffered until their line is complete, so a multi-byte UTF-8 character split across reads is never cut.
// Thread-safety: none; one parser per response, used by the thread reading it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace aw::processor::providers {

struct SseEvent {
  std::string type;  // the `event:` field; empty when none was sent (the default "message")
  std::string data;  // the `data:` lines joined with '\n'
};

class SseParser {
 public:
  // 16 MiB: far above any real event (a whole long reply fits in one), low enough to bound memory per stream.
  static constexpr std::size_t kDefaultMaxEventBytes = 16u << 20;

  explicit SseParser(std::size_t max_event_bytes = kDefaultMaxEventBytes) : max_event_bytes_(max_event_bytes) {}

  // Consumes the next bytes and appends each event completed by them to `events`, in order. Fails (code
  // "invalid_response", message = the detail) when a line or an event grows past max_event_bytes; the parser must
  // not be used after a failure.
  Status feed(std::string_view bytes, std::vector<SseEvent>& events);

  // True when an unfinished line or an event without its closing blank line is buffered: the stream was cut
  // mid-event (the SSE rules discard such an event).
  bool has_partial_event() const { return !line_.empty() || has_data_; }

 private:
  Status end_line(std::string_view line, std::vector<SseEvent>& events);

  const std::size_t max_event_bytes_;
  std::string line_;        // the unfinished line (bytes since the last terminator)
  bool after_cr_ = false;   // the last byte was CR: an LF right after it ends no new line
  bool first_line_ = true;  // a BOM is only stripped from the first line
  std::string event_type_;  // fields of the event being assembled
  std::string data_;
  bool has_data_ = false;
};

}  // namespace aw::processor::providers
