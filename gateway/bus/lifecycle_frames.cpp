// Lifecycle status frames (see lifecycle_frames.h).
#include "gateway/bus/lifecycle_frames.h"

#include <memory>

#include "gateway/core/json_builder.h"

namespace aw::gateway::bus {
namespace {

JsonBuilder& open_status(JsonBuilder& b, const std::string& world_id, const std::string& message_id,
                         const std::string& chat_id) {
  b.begin_object().field("type", "status").field("worldId", world_id).field("messageId", message_id);
  return b.field("chatId", chat_id).key("payload").begin_object();
}

}  // namespace

StatusBroadcast attempt_status(const std::string& status, const std::string& world_id, const std::string& message_id,
                               const std::string& chat_id, std::int64_t attempt, EpochMs now) {
  JsonBuilder b;
  open_status(b, world_id, message_id, chat_id).field("status", status).field("attempt", attempt).end_object();
  b.field("timestamp", now).end_object();
  return StatusBroadcast{world_id, message_id, std::make_shared<const std::string>(b.take())};
}

StatusBroadcast retrying_status(const RetryingStatus& s, EpochMs now) {
  JsonBuilder b;
  open_status(b, s.world_id, s.message_id, s.chat_id).field("status", "retrying").field("error", s.error);
  b.field("code", s.code).field("attempt", s.attempt).field("nextAttempt", s.attempt + 1);
  b.field("retryInMs", s.retry_in_ms).field("retryAt", iso8601_ms(now + s.retry_in_ms)).field("superseded", true);
  b.end_object().field("timestamp", now).end_object();
  return StatusBroadcast{s.world_id, s.message_id, std::make_shared<const std::string>(b.take())};
}

}  // namespace aw::gateway::bus
