// crud frames (see crud_publisher.h).
#include "gateway/core/crud_publisher.h"

#include "gateway/core/entity_views.h"
#include "gateway/core/event_frames.h"
#include "gateway/core/json_builder.h"

namespace aw::gateway {

Status CrudPublisher::publish(std::string_view world_id, std::string_view operation, std::string_view entity_type,
                              std::string_view entity_id, const std::optional<std::string>& entity_data,
                              const std::optional<std::string>& current_chat_id) {
  JsonBuilder b;
  b.begin_object();
  b.field("operation", operation).field("entityType", entity_type).field("entityId", entity_id);
  b.key("entityData");
  if (entity_data) {
    b.raw(*entity_data);
  } else {
    b.null();
  }
  b.field("timestamp", iso8601_ms(now_));
  b.key("chatId");
  if (current_chat_id) {
    b.value(*current_chat_id);
  } else {
    b.null();
  }
  b.end_object();

  storage::NewEvent event;
  event.world_id = std::string(world_id);
  event.frame_type = "crud";
  event.event_type = "crud";
  event.payload = b.take();
  event.ts_ms = now_;
  auto record = storage_.events().append(event);
  if (!record) return record.status();
  frames_.push_back(to_persisted_frame(record.value(), false));
  return Status::ok();
}

Status CrudPublisher::publish_world(const storage::WorldRecord& world, std::string_view operation) {
  auto entity = world_view(storage_, world, WorldViewOptions{false, false, std::nullopt});
  if (!entity) return entity.status();
  return publish(world.id, operation, "world", world.id, entity.value(), world.current_chat_id);
}

}  // namespace aw::gateway
