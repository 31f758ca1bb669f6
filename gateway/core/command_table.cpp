// The command dispatch table (see command_table.h).
#include "gateway/core/command_table.h"

namespace aw::gateway {
namespace {

constexpr CommandSpec kCommands[] = {
    // The 12 compat commands (ws-protocol.md §8.2).
    {"create-world", WorldRule::Ignored, create_world, Access::Writes},
    {"get-world", WorldRule::Optional, get_world, Access::ReadOnly},
    {"list-worlds", WorldRule::Ignored, list_worlds, Access::OneRead},
    {"delete-world", WorldRule::Optional, delete_world, Access::Writes},
    {"create-agent", WorldRule::Required, create_agent, Access::Writes},
    {"get-agent", WorldRule::Required, get_agent, Access::ReadOnly},
    {"list-agents", WorldRule::Required, list_agents, Access::ReadOnly},
    {"delete-agent", WorldRule::Required, delete_agent, Access::Writes},
    {"new-chat", WorldRule::Required, new_chat, Access::Writes},
    {"list-chats", WorldRule::Required, list_chats, Access::ReadOnly},
    {"delete-chat", WorldRule::Required, delete_chat, Access::Writes},
    {"export-world", WorldRule::Required, export_world, Access::ReadOnly},
    // Extended commands (§8.3).
    {"update-world", WorldRule::Required, update_world, Access::Writes},
    {"update-agent", WorldRule::Required, update_agent, Access::Writes},
    {"clear-agent-memory", WorldRule::Required, clear_agent_memory, Access::Writes},
    {"select-chat", WorldRule::Required, select_chat, Access::Writes},
    {"rename-chat", WorldRule::Required, rename_chat, Access::Writes},
    {"get-chat-messages", WorldRule::Required, get_chat_messages, Access::ReadOnly},
    {"cancel-message", WorldRule::Required, cancel_message, Access::Writes},
    {"queue-status", WorldRule::Optional, queue_status, Access::ReadOnly},
    {"list-failed", WorldRule::Optional, list_failed, Access::ReadOnly},
    {"retry-failed", WorldRule::Required, retry_failed, Access::Writes},
};

}  // namespace

const CommandSpec* find_command(std::string_view name) {
  for (const CommandSpec& spec : kCommands) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace aw::gateway
