// CrudPublisher: persists the `crud` frames of agent-runtime.md §10.3 in the world's event log (seq taken in the
// caller's transaction) and collects them, in seq order, for CommandResult::broadcasts.
// Payload: {operation, entityType, entityId, entityData (object or null), timestamp (ISO), chatId (current chat
// after the operation, or null)}.
// Thread-safety: loop thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "gateway/core/gateway_core.h"
#include "gateway/storage/storage.h"

namespace aw::gateway {

class CrudPublisher {
 public:
  CrudPublisher(storage::Storage& storage, EpochMs now) : storage_(storage), now_(now) {}

  // entity_data: JSON text of the entity after the change; nullopt writes null (deletes).
  Status publish(std::string_view world_id, std::string_view operation, std::string_view entity_type,
                 std::string_view entity_id, const std::optional<std::string>& entity_data,
                 const std::optional<std::string>& current_chat_id);

  // Publishes `operation` on the world, with the World (without agents/chats, mcpConfig redacted) as entity data
  // and the world's current chat as payload.chatId.
  Status publish_world(const storage::WorldRecord& world, std::string_view operation);

  // Frames published so far, in seq order. Valid to hand out only after the transaction committed.
  std::vector<PersistedFrame> take_frames() { return std::move(frames_); }

 private:
  storage::Storage& storage_;
  const EpochMs now_;
  std::vector<PersistedFrame> frames_;
};

}  // namespace aw::gateway
