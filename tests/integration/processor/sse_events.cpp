// Server-sent-event reader for tests (see sse_events.h).
#include "tests/integration/processor/sse_events.h"

namespace aw::test {

std::vector<SseEvent> parse_sse(std::string_view stream) {
  std::vector<SseEvent> events;
  SseEvent current;
  bool has_data = false;
  bool any_field = false;
  std::size_t start = 0;
  while (start < stream.size()) {
    std::size_t end = stream.find('\n', start);
    if (end == std::string_view::npos) end = stream.size();
    std::string_view line = stream.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;
    if (line.empty()) {
      if (any_field) events.push_back(current);
      current = SseEvent();
      has_data = false;
      any_field = false;
      continue;
    }
    if (line.front() == ':') continue;
    const std::size_t colon = line.find(':');
    const std::string_view field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (field == "event") {
      current.event = std::string(value);
      any_field = true;
    } else if (field == "data") {
      if (has_data) current.data += '\n';
      current.data += value;
      has_data = true;
      any_field = true;
    }
  }
  if (any_field) events.push_back(current);
  return events;
}

}  // namespace aw::test
