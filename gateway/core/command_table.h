// The command dispatch table: name -> world rule + handler (ws-protocol.md §8.2, §8.3). `whoami` is answered by the
// WebSocket layer and is not in the table.
// Thread-safety: the table is immutable; lookups are safe from any thread.
#pragma once

#include <string_view>

#include "gateway/core/command_context.h"

namespace aw::gateway {

// How a handler uses the database. ReadOnly: it runs inside one read transaction (storage::ReadTransaction), so its
// SELECTs share one snapshot and one cycle of SQLite's locks. OneRead: at most one statement, whose implicit
// transaction is its snapshot (list-worlds, which usually reads nothing: WorldSummaryCache). Writes: it opens its
// own write transaction.
enum class Access { ReadOnly, OneRead, Writes };

struct CommandSpec {
  std::string_view name;
  WorldRule world_rule;
  CommandHandler handler;
  Access access;
};

// nullptr for an unknown command.
const CommandSpec* find_command(std::string_view name);

// Handlers, one group per file: world_commands.cpp, agent_commands.cpp, chat_commands.cpp, queue_commands.cpp,
// export_command.cpp.
CommandResult create_world(CommandContext& ctx);
CommandResult get_world(CommandContext& ctx);
CommandResult list_worlds(CommandContext& ctx);
CommandResult delete_world(CommandContext& ctx);
CommandResult update_world(CommandContext& ctx);

CommandResult create_agent(CommandContext& ctx);
CommandResult get_agent(CommandContext& ctx);
CommandResult list_agents(CommandContext& ctx);
CommandResult delete_agent(CommandContext& ctx);
CommandResult update_agent(CommandContext& ctx);
CommandResult clear_agent_memory(CommandContext& ctx);

CommandResult new_chat(CommandContext& ctx);
CommandResult list_chats(CommandContext& ctx);
CommandResult delete_chat(CommandContext& ctx);
CommandResult select_chat(CommandContext& ctx);
CommandResult rename_chat(CommandContext& ctx);
CommandResult get_chat_messages(CommandContext& ctx);

CommandResult cancel_message(CommandContext& ctx);
CommandResult queue_status(CommandContext& ctx);
CommandResult list_failed(CommandContext& ctx);
CommandResult retry_failed(CommandContext& ctx);

CommandResult export_world(CommandContext& ctx);

}  // namespace aw::gateway
