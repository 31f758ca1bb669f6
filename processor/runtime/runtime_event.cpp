// Event type names (see runtime_event.h).
#include "processor/runtime/runtime_event.h"

namespace aw::processor {

std::string_view event_type_name(EventType type) {
  switch (type) {
    case EventType::Message:
      return "message";
    case EventType::Sse:
      return "sse";
    case EventType::World:
      return "world";
    case EventType::System:
      return "system";
  }
  return "message";
}

}  // namespace aw::processor
