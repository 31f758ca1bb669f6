// The command catalog (see command_catalog.h).
#include "gateway/protocol/command_catalog.h"

#include <array>

namespace aw::gateway::protocol {
namespace {

constexpr std::array<CommandSpec, 23> kCommands = {{
    // §8.2, the 12 compat commands
    {"create-world", WorldRule::Ignored, Role::Admin},
    {"get-world", WorldRule::Optional, Role::Reader},
    {"list-worlds", WorldRule::Ignored, Role::Reader},
    {"delete-world", WorldRule::Optional, Role::Admin},
    {"create-agent", WorldRule::Required, Role::Admin},
    {"get-agent", WorldRule::Required, Role::Reader},
    {"list-agents", WorldRule::Required, Role::Reader},
    {"delete-agent", WorldRule::Required, Role::Admin},
    {"new-chat", WorldRule::Required, Role::Admin},
    {"list-chats", WorldRule::Required, Role::Reader},
    {"delete-chat", WorldRule::Required, Role::Admin},
    {"export-world", WorldRule::Required, Role::Reader},
    // §8.3, extended commands
    {"update-world", WorldRule::Required, Role::Admin},
    {"update-agent", WorldRule::Required, Role::Admin},
    {"clear-agent-memory", WorldRule::Required, Role::Admin},
    {"select-chat", WorldRule::Required, Role::Admin},
    {"rename-chat", WorldRule::Required, Role::Admin},
    {"get-chat-messages", WorldRule::Required, Role::Reader},
    {"cancel-message", WorldRule::Required, Role::Writer},
    {"queue-status", WorldRule::Optional, Role::Admin},
    {"list-failed", WorldRule::Optional, Role::Admin},
    {"retry-failed", WorldRule::Required, Role::Admin},
    {"whoami", WorldRule::Ignored, Role::Reader},
}};

}  // namespace

const CommandSpec* find_command(std::string_view name) {
  for (const auto& spec : kCommands) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "reader") return Role::Reader;
  if (text == "writer") return Role::Writer;
  if (text == "admin") return Role::Admin;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::Reader:
      return "reader";
    case Role::Writer:
      return "writer";
    case Role::Admin:
      return "admin";
  }
  return "reader";
}

bool role_allows(std::string_view principal_role, Role needed) {
  const Role have = parse_role(principal_role).value_or(Role::Reader);
  return static_cast<int>(have) >= static_cast<int>(needed);
}

}  // namespace aw::gateway::protocol
