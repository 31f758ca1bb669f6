// Persisted frame encoding (see event_frames.h).
#include "gateway/core/event_frames.h"

#include <memory>

#include "gateway/core/json_builder.h"

namespace aw::gateway {

std::string encode_frame(const storage::EventRecord& r, bool historical) {
  JsonBuilder b;
  b.begin_object();
  if (r.frame_type == "crud") {
    b.field("type", "crud").field("worldId", r.world_id).field("seq", r.seq);
  } else {
    b.field("type", "event").field("worldId", r.world_id).optional_field("chatId", r.chat_id);
    b.field("seq", r.seq).field("eventType", r.event_type);
    b.optional_field("runId", r.run_id).optional_field("attempt", r.attempt);
  }
  b.raw_field("payload", r.payload).field("timestamp", r.ts_ms);
  if (historical) b.field("historical", true);
  b.end_object();
  return b.take();
}

PersistedFrame to_persisted_frame(const storage::EventRecord& r, bool historical) {
  PersistedFrame f;
  f.world_id = r.world_id;
  if (r.frame_type != "crud") f.chat_id = r.chat_id;
  f.seq = r.seq;
  f.live_json = std::make_shared<const std::string>(encode_frame(r, historical));
  return f;
}

}  // namespace aw::gateway
