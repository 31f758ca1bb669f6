// Encoding of persisted frames (ws-protocol.md §5.2, §5.3) from event-log rows, so live and replayed copies are
// built from the same stored fields and differ only by "historical":true.
//   event: {"type":"event","worldId","chatId"?,"seq","eventType","runId"?,"attempt"?,"payload","timestamp"}
//   crud:  {"type":"crud","worldId","seq","payload","timestamp"}   (no chatId, no eventType)
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "gateway/core/gateway_core.h"
#include "gateway/storage/event_log.h"

namespace aw::gateway {

// The complete frame text of a stored row; with `historical`, `"historical":true` is appended.
std::string encode_frame(const storage::EventRecord& record, bool historical);

// A PersistedFrame for fan-out or replay. chat_id is left empty for crud frames (delivered regardless of filter).
PersistedFrame to_persisted_frame(const storage::EventRecord& record, bool historical);

}  // namespace aw::gateway
