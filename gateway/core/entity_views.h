// Result objects of ws-protocol.md §8.1, as JSON text, read from storage: World, WorldSummary, Agent, Chat,
// MemoryRow, ChatMessage, QueueItem. Optional fields are left out when unset; dates are ISO strings; mcpConfig is
// always redacted (§3.6); no runtime internals (position, rev, last_activity_id) are serialised.
// Thread-safety: loop thread only (reads the caller's Storage).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "gateway/core/json_builder.h"
#include "gateway/storage/storage.h"

namespace aw::gateway {

struct WorldViewOptions {
  bool with_children = true;                 // World (agents + chats) vs. crud entityData (without)
  bool summary = false;                      // WorldSummary: no children, plus agentCount and chatCount
  std::optional<std::string> extra_chat_id;  // new-chat: adds "chatId"
};

// World / WorldSummary / crud entityData of a world.
Result<std::string> world_view(storage::Storage& storage, const storage::WorldRecord& world,
                               const WorldViewOptions& options);
// The same with the counts already read (list-worlds reads them with the worlds): appends to `b`.
Status write_world(JsonBuilder& b, storage::Storage& storage, const storage::WorldRecord& world,
                   const storage::WorldCounts& counts, const WorldViewOptions& options);

// Agent; `memory_limit` set = get-agent (adds "memory", the most recent rows, oldest first).
Result<std::string> agent_view(storage::Storage& storage, const storage::AgentRecord& agent,
                               std::optional<std::int64_t> memory_limit = std::nullopt);

void write_chat(JsonBuilder& b, const storage::ChatRecord& chat);
std::string chat_view(const storage::ChatRecord& chat);

void write_memory_row(JsonBuilder& b, const storage::MemoryRecord& row);

// ChatMessage: the stored message payload plus "seq".
std::string chat_message_view(const storage::ConversationMessage& message);

void write_queue_item(JsonBuilder& b, const storage::QueueItemRecord& item);

}  // namespace aw::gateway
