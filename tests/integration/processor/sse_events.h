// Reading a server-sent-event stream in tests: the events of a body, each with its `event:` name and `data:` text,
// so a test can check the exact framing a provider (or aw-fake-llm) sent. Lines may end in LF or CRLF.
// Thread-safety: free function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aw::test {

struct SseEvent {
  std::string event;  // "" when the event had no `event:` line
  std::string data;   // the `data:` lines joined with '\n', without the one optional space after the colon
};

// The events of `stream`, in order. An event ends at a blank line; an unterminated last event is included;
// comment lines (":...") and other fields are ignored.
std::vector<SseEvent> parse_sse(std::string_view stream);

}  // namespace aw::test
