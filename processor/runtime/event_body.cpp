// Bus event bodies and processor ids (see event_body.h).
#include "processor/runtime/event_body.h"

#include <unistd.h>

#include <cstdio>

#include "common/ids.h"
#include "processor/runtime/json_object_writer.h"

namespace aw::processor {

std::string event_body_json(const RuntimeEvent& event, const AttemptIdentity& identity) {
  JsonObjectWriter w;
  w.integer("v", 1)
      .string("kind", "event")
      .string("processorId", identity.processor_id)
      .string("worldId", identity.world_id)
      .string("chatId", event.chat_id)
      .string("runId", identity.run_id)
      .integer("attempt", identity.attempt)
      .integer("index", event.index)
      .string("eventType", event_type_name(event.type))
      .raw("payload", event.payload_json);
  return w.finish();
}

std::string new_processor_id() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof(host), "processor");
  std::string id;
  for (const char* c = host; *c != '\0'; ++c) {
    const bool allowed = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                         *c == '.' || *c == '_' || *c == '-';
    id.push_back(allowed ? *c : '-');
  }
  // Keep room for "-<pid>-<6 chars>" within the 100-character limit.
  if (id.size() > 70) id.resize(70);
  id += "-" + std::to_string(static_cast<long>(getpid())) + "-" + random_base36(6);
  return id;
}

}  // namespace aw::processor
