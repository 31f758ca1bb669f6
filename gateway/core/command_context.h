// What every command handler gets, and the helpers that shape its answer (ws-protocol.md §4.6, §8).
// Thread-safety: loop thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/log.h"
#include "gateway/core/gateway_core.h"
#include "gateway/core/world_summary_cache.h"
#include "gateway/storage/storage.h"

namespace aw::gateway {

struct CommandContext {
  storage::Storage& storage;
  const CoreOptions& options;
  const Logger& logger;
  std::string_view command;
  const json::Value& params;                   // an object
  const std::optional<std::string>& world_id;  // effective, canonical; nullopt when the frame had none
  const Principal& principal;
  EpochMs now;
  WorldSummaryCache& world_summaries;  // list-worlds' answers between writes
};

using CommandHandler = CommandResult (*)(CommandContext& ctx);

// How a command treats the world id (ws-protocol.md §8.2): ignored, optional, or required (missing ->
// `worldId required for <command>`).
enum class WorldRule { Ignored, Optional, Required };

inline CommandResult command_success(std::string message, std::string data_json) {
  CommandResult r;
  r.message = std::move(message);
  r.data_json = std::move(data_json);
  return r;
}

inline CommandResult command_failure(Status status) {
  CommandResult r;
  r.status = std::move(status);
  return r;
}

// A storage or other unexpected failure: logged once here, answered as `internal`.
inline CommandResult command_internal(const CommandContext& ctx, const Status& cause) {
  ctx.logger.error("command failed", {{"command", ctx.command}, {"error", cause.message()}});
  return command_failure(Status::internal("Internal error"));
}

// `World '<id>' not found`, with the compat prefix for the §8.2 commands.
inline Status world_not_found(std::string_view world_id, bool compat_prefix) {
  std::string text = "World '" + std::string(world_id) + "' not found";
  if (compat_prefix) text = "Command execution failed: " + text;
  return Status::error("world_not_found", std::move(text));
}

// The *_not_found answers of the §8.3 commands.
inline Status agent_not_found(std::string_view id) {
  return Status::error("agent_not_found", "Agent '" + std::string(id) + "' not found");
}
inline Status chat_not_found(std::string_view id) {
  return Status::error("chat_not_found", "Chat '" + std::string(id) + "' not found");
}
inline Status message_not_found(std::string_view id) {
  return Status::error("message_not_found", "Message '" + std::string(id) + "' not found");
}

// Inserts a chat named "New Chat" into the world (agent-runtime.md §10.1). Defined in chat_commands.cpp.
Result<storage::ChatRecord> insert_new_chat(CommandContext& ctx, const std::string& world_id);

}  // namespace aw::gateway
