// Status frames (see status_frames.h).
#include "gateway/core/status_frames.h"

#include <memory>

#include "gateway/core/json_builder.h"

namespace aw::gateway {

StatusBroadcast failed_status(const FailedStatus& s, EpochMs now) {
  JsonBuilder b;
  b.begin_object().field("type", "status").field("worldId", s.world_id).field("messageId", s.message_id);
  b.optional_field("chatId", s.chat_id);
  b.key("payload").begin_object();
  b.field("status", "failed").field("error", s.error).field("code", s.code).field("attempt", s.attempt);
  b.field("willRetry", false);
  if (s.cancelled) b.field("cancelled", true);
  if (s.superseded) b.field("superseded", true);
  b.end_object();
  b.field("timestamp", now).end_object();
  return StatusBroadcast{s.world_id, s.message_id, std::make_shared<const std::string>(b.take())};
}

StatusBroadcast retried_status(const std::string& world_id, const std::string& message_id,
                               const std::optional<std::string>& chat_id, EpochMs now) {
  JsonBuilder b;
  b.begin_object().field("type", "status").field("worldId", world_id).field("messageId", message_id);
  b.optional_field("chatId", chat_id);
  b.key("payload").begin_object().field("status", "queued").field("retried", true).end_object();
  b.field("timestamp", now).end_object();
  return StatusBroadcast{world_id, message_id, std::make_shared<const std::string>(b.take())};
}

}  // namespace aw::gateway
