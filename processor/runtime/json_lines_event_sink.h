// JsonLinesEventSink: an EventSink that writes each event as one bus `event` body (event_body.h) per line to a
// stdio stream and flushes it, so a reader of a pipe sees every event as it happens. Used by
// `aw-processor --once`; also writes the final commit line.
// Thread-safety: publish() and write_line() may be called from any thread; lines never interleave.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "processor/runtime/event_body.h"
#include "processor/runtime/runtime_event.h"

namespace aw::processor {

class JsonLinesEventSink : public EventSink {
 public:
  // `out` is borrowed and must outlive the sink.
  JsonLinesEventSink(std::FILE* out, AttemptIdentity identity) : out_(out), identity_(std::move(identity)) {}

  // EventSink
  void publish(RuntimeEvent event) override { write_line(event_body_json(event, identity_)); }

  // Writes `line` and a newline, then flushes.
  void write_line(std::string_view line);

 private:
  std::FILE* const out_;
  const AttemptIdentity identity_;
  std::mutex mutex_;  // serialises writes to out_
};

}  // namespace aw::processor
