// The command catalog (ws-protocol.md §8.2, §8.3): every command the gateway knows, whether it needs a world id,
// and the least role allowed to run it (§3.2). Also the role of each non-command frame type.
// Thread-safety: immutable tables; safe from any thread.
#pragma once

#include <optional>
#include <string_view>

namespace aw::gateway::protocol {

// How a command treats the frame's world id (§8.2 "worldId" column).
enum class WorldRule {
  Ignored,   // the command does not use it (create-world, list-worlds, whoami)
  Optional,  // used when present (get-world, delete-world, queue-status, list-failed)
  Required,  // missing -> invalid_request "worldId required for <command>"
};

// Roles in increasing order of rights; each includes the rights of the ones before it.
enum class Role { Reader = 0, Writer = 1, Admin = 2 };

struct CommandSpec {
  std::string_view name;
  WorldRule world;
  Role min_role;
};

// The spec of a known command; nullptr for an unknown one.
const CommandSpec* find_command(std::string_view name);

// "reader" | "writer" | "admin"; nullopt for anything else.
std::optional<Role> parse_role(std::string_view text);
std::string_view role_name(Role role);

// True when `principal_role` (a role name; unknown names count as reader) may use something needing `needed`.
bool role_allows(std::string_view principal_role, Role needed);

}  // namespace aw::gateway::protocol
