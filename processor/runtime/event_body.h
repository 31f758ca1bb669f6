// The bus `event` body of bus-protocol.md §2/§6 for one RuntimeEvent:
// {v, kind:"event", processorId, worldId, chatId, runId, attempt, index, eventType, payload}.
// `aw-processor --once` prints exactly these bodies, one per line, so its output reads like the bus.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "processor/runtime/runtime_event.h"

namespace aw::processor {

// Who published the event: the attempt it belongs to.
struct AttemptIdentity {
  std::string processor_id;
  std::string world_id;
  std::string run_id;
  std::int64_t attempt = 0;
};

std::string event_body_json(const RuntimeEvent& event, const AttemptIdentity& identity);

// `<hostname>-<pid>-<6 random base36 chars>`, characters outside A-Za-z0-9._- replaced by '-', at most 100 chars
// (bus-protocol.md §1). New for every process run.
std::string new_processor_id();

}  // namespace aw::processor
