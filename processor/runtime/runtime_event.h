// RuntimeEvent and EventSink: what a run publishes while it works (bus-protocol.md §6, ws-protocol.md §5.2).
// The run assigns `index` 0, 1, 2, … per attempt in emission order, chunks included; the sink turns an event into a
// bus `event` frame (the bus worker) or a JSON line (`aw-processor --once`) or a test record.
// Thread-safety: EventSink::publish must be safe to call from any thread; a run calls it from its own thread only,
// but several runs share one sink in the processor.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace aw::processor {

enum class EventType { Message, Sse, World, System };

// "message" | "sse" | "world" | "system": the bus `eventType`.
std::string_view event_type_name(EventType type);

struct RuntimeEvent {
  EventType type = EventType::Message;
  std::string payload_json;  // the payload object of ws-protocol.md §5.2, as JSON text
  std::string chat_id;       // the run chat
  std::int64_t index = 0;    // per attempt, emission order
  bool is_chunk = false;     // SSE chunk: broadcast, never persisted
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Takes the event over. Must not block for long: a run thread waits on it between tokens.
  virtual void publish(RuntimeEvent event) = 0;
};

}  // namespace aw::processor
