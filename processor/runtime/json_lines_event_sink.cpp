// JSON-lines event output (see json_lines_event_sink.h).
#include "processor/runtime/json_lines_event_sink.h"

namespace aw::processor {

void JsonLinesEventSink::write_line(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace aw::processor
