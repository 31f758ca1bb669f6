// A SAX pass over untrusted JSON with parse_untrusted's reader settings, for hot paths that read a few fields of a
// small text and build no Document (the client frame fast path, gateway/protocol/command_fast_path.h). Includes
// RapidJSON through common/json.h, so the project-wide flags apply. Kept out of json.h: few files need it.
// Thread-safety: parse_valid_utf8_sax uses a per-thread buffer and reader; the handler belongs to the caller.
#pragma once

#include <string>
#include <string_view>

#include "common/json.h"

namespace aw::json {

// The stream a SAX handler sees: an in-situ parse of a per-thread copy of the text.
using SaxStream = rapidjson::InsituStringStream;

// Parses `text`, which the caller has already checked with is_valid_utf8 (the reader does not check the encoding
// again), as parse_untrusted would: iterative (no recursion), trailing garbage refused. The handler receives
// RapidJSON's SAX events, enforces its own depth limit, and may stop the parse by returning false. Strings and keys
// arrive unescaped in the per-thread copy (copy=false): valid during the callback only. Before the parse the handler
// gets `handler.attach(stream)`: `stream.Tell()` is the offset in `text` of the current token (in StartObject and
// EndObject, of its brace, which is not consumed yet). Returns false on a syntax error or a stop.
template <typename Handler>
bool parse_valid_utf8_sax(std::string_view text, Handler& handler) {
  // In situ: RapidJSON unescapes each string where it lies instead of pushing it byte by byte onto its own stack,
  // which is most of the parse of a small frame. A NUL byte inside the text ends the stream there exactly as it does
  // for parse_untrusted's MemoryStream (whose Peek() yields the NUL too), so both readers see the same document.
  thread_local std::string buffer;
  buffer.assign(text.data(), text.size());
  SaxStream stream(buffer.data());
  handler.attach(stream);
  thread_local rapidjson::Reader reader;  // its state stack is kept between parses (Parse resets it)
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag;
  const bool ok = !reader.Parse<kFlags>(stream, handler).IsError();
  if (buffer.capacity() > 64 * 1024) std::string().swap(buffer);  // a large text does not pin its buffer
  return ok;
}

}  // namespace aw::json
