// The command dispatch table (see command_table.h).
#include "gateway/core/command_table.h"

namespace aw::gateway {
namespace {

constexpr CommandSpec kCommands[] = {
    // The 12 compat commands (ws-protocol.md §8.2).
    {"create-world", WorldRule::Ignored, create_world},
    {"get-world", WorldRule::Optional, get_world},
    {"list-worlds", WorldRule::Ignored, list_worlds},
    {"delete-world", WorldRule::Optional, delete_world},
    {"create-agent", WorldRule::Required, create_agent},
    {"get-agent", WorldRule::Required, get_agent},
    {"list-agents", WorldRule::Required, list_agents},
    {"delete-agent", WorldRule::Required, delete_agent},
    {"new-chat", WorldRule::Required, new_chat},
    {"list-chats", WorldRule::Required, list_chats},
    {"delete-chat", WorldRule::Required, delete_chat},
    {"export-world", WorldRule::Required, export_world},
    // Extended commands (§8.3).
    {"update-world", WorldRule::Required, update_world},
    {"update-agent", WorldRule::Required, update_agent},
    {"clear-agent-memory", WorldRule::Required, clear_agent_memory},
    {"select-chat", WorldRule::Required, select_chat},
    {"rename-chat", WorldRule::Required, rename_chat},
    {"get-chat-messages", WorldRule::Required, get_chat_messages},
    {"cancel-message", WorldRule::Required, cancel_message},
    {"queue-status", WorldRule::Optional, queue_status},
    {"list-failed", WorldRule::Optional, list_failed},
    {"retry-failed", WorldRule::Required, retry_failed},
};

}  // namespace

const CommandSpec* find_command(std::string_view name) {
  for (const CommandSpec& spec : kCommands) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace aw::gateway
