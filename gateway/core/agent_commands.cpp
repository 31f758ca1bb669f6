// Agent commands: create-agent, get-agent, list-agents, delete-agent (ws-protocol.md §8.2) and update-agent,
// clear-agent-memory (§8.3).
#include <algorithm>
#include <limits>

#include "common/ids.h"
#include "gateway/core/command_params.h"
#include "gateway/core/command_table.h"
#include "gateway/core/crud_publisher.h"
#include "gateway/core/entity_views.h"
#include "gateway/core/json_builder.h"

namespace aw::gateway {
namespace {

constexpr std::int64_t kDefaultMemoryLimit = 200;
constexpr std::int64_t kMaxMemoryLimit = 1000;

// Incoming agent ids are canonicalised like world ids; one that canonicalises to "" is looked up as-is.
Result<std::string> agent_id_param(const json::Value& params) {
  auto raw = required_string(params, "agentId");
  if (!raw) return raw.status();
  std::string id = kebab_case(raw.value());
  return id.empty() ? raw.value() : id;
}

// Validated optional agent settings shared by create-agent and update-agent.
struct AgentSettings {
  FieldUpdate<std::string> name, type, status, provider, model, system_prompt;
  FieldUpdate<double> temperature;
  FieldUpdate<std::int64_t> max_tokens;
};

Result<AgentSettings> read_settings(const json::Value& params) {
  AgentSettings s;
  auto name = string_update(params, "name");
  if (!name) return name.status();
  s.name = std::move(name.value());
  if (s.name) {
    if (!*s.name) return invalid_param("name", "must be 1 to 100 characters");
    if (Status st = check_name("name", **s.name); !st) return st;
  }
  auto type = string_update(params, "type");
  if (!type) return type.status();
  s.type = std::move(type.value());
  auto status = string_update(params, "status");
  if (!status) return status.status();
  s.status = std::move(status.value());
  if (s.status && (!*s.status || (**s.status != "active" && **s.status != "inactive" && **s.status != "error"))) {
    return invalid_param("status", "must be one of active, inactive, error");
  }
  auto provider = provider_update(params);
  if (!provider) return provider.status();
  s.provider = std::move(provider.value());
  auto model = string_update(params, "model");
  if (!model) return model.status();
  s.model = std::move(model.value());
  if (s.model && (!*s.model || (*s.model)->empty())) return invalid_param("model", "must be a non-empty string");
  auto prompt = string_update(params, "systemPrompt");
  if (!prompt) return prompt.status();
  s.system_prompt = std::move(prompt.value());
  auto temperature = temperature_update(params);
  if (!temperature) return temperature.status();
  s.temperature = temperature.value();
  auto max_tokens = max_tokens_update(params);
  if (!max_tokens) return max_tokens.status();
  s.max_tokens = max_tokens.value();
  return s;
}

// Applies the present fields; `type` and `system_prompt` null mean default / cleared.
void apply_settings(const AgentSettings& s, storage::AgentRecord& a) {
  if (s.name) a.name = **s.name;
  if (s.type) a.type = s.type->value_or("default");
  if (s.status) a.status = **s.status;
  if (s.provider) a.provider = **s.provider;
  if (s.model) a.model = **s.model;
  if (s.system_prompt) a.system_prompt = *s.system_prompt;
  if (s.temperature) a.temperature = *s.temperature;
  if (s.max_tokens) a.max_tokens = *s.max_tokens;
}

// Persists the agent with a fresh rev and publishes its crud frame; returns the Agent view.
Result<std::string> save_agent(CommandContext& ctx, const storage::WorldRecord& world, storage::AgentRecord& agent,
                               std::string_view operation, CrudPublisher& crud) {
  auto rev = ctx.storage.worlds().next_rev(world.id);
  if (!rev) return rev.status();
  agent.rev = rev.value();
  if (Status s = ctx.storage.agents().upsert(agent); !s) return s;
  auto view = agent_view(ctx.storage, agent);
  if (!view) return view.status();
  if (Status s = crud.publish(world.id, operation, "agent", agent.id, view.value(), world.current_chat_id); !s) {
    return s;
  }
  return view;
}

}  // namespace

CommandResult create_agent(CommandContext& ctx) {
  auto name = required_string(ctx.params, "name");
  if (!name) return command_failure(name.status());
  if (!name->empty()) {
    if (Status s = check_name("name", name.value()); !s) return command_failure(s);
  }
  auto explicit_id = optional_string(ctx.params, "id");
  if (!explicit_id) return command_failure(explicit_id.status());
  auto id = make_id(explicit_id.value() ? *explicit_id.value() : name.value());
  if (!id) return command_failure(id.status());
  auto settings = read_settings(ctx.params);
  if (!settings) return command_failure(settings.status());

  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_failure(world_not_found(*ctx.world_id, true));
  auto existing = ctx.storage.agents().find(*ctx.world_id, id.value());
  if (!existing) return command_internal(ctx, existing.status());
  if (existing.value()) {
    return command_failure(
        Status::error("already_exists", command_failed_text("Agent with ID '" + id.value() + "' already exists")));
  }
  auto position = ctx.storage.agents().next_position(*ctx.world_id);
  if (!position) return command_internal(ctx, position.status());

  storage::AgentRecord agent;
  agent.world_id = *ctx.world_id;
  agent.id = id.value();
  agent.provider = ctx.options.default_agent_provider;
  agent.model = ctx.options.default_agent_model;
  apply_settings(settings.value(), agent);
  agent.name = name.value();
  agent.status = "inactive";  // agents are created inactive and still answer [compat]
  agent.llm_call_count = 0;
  agent.created_at = agent.last_active = iso8601_ms(ctx.now);
  agent.position = position.value();

  CrudPublisher crud(ctx.storage, ctx.now);
  auto view = save_agent(ctx, *world.value(), agent, "create", crud);
  if (!view) return command_internal(ctx, view.status());
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);
  CommandResult result = command_success("Agent '" + name.value() + "' created successfully", view.value());
  result.broadcasts = crud.take_frames();
  return result;
}

CommandResult get_agent(CommandContext& ctx) {
  auto id = agent_id_param(ctx.params);
  if (!id) return command_failure(id.status());
  auto limit = optional_integer(ctx.params, "memoryLimit", 1, std::numeric_limits<std::int64_t>::max(),
                                "must be an integer >= 1");
  if (!limit) return command_failure(limit.status());
  const std::int64_t memory_limit = std::min(limit.value().value_or(kDefaultMemoryLimit), kMaxMemoryLimit);
  auto agent = ctx.storage.agents().find(*ctx.world_id, id.value());
  if (!agent) return command_internal(ctx, agent.status());
  if (!agent.value()) return command_success("Agent not found", "null");
  auto view = agent_view(ctx.storage, *agent.value(), memory_limit);
  if (!view) return command_internal(ctx, view.status());
  return command_success("Agent '" + agent.value()->name + "' retrieved", view.value());
}

CommandResult list_agents(CommandContext& ctx) {
  auto agents = ctx.storage.agents().list(*ctx.world_id);
  if (!agents) return command_internal(ctx, agents.status());
  JsonBuilder b;
  b.begin_array();
  for (const auto& agent : agents.value()) {
    auto view = agent_view(ctx.storage, agent);
    if (!view) return command_internal(ctx, view.status());
    b.raw(view.value());
  }
  b.end_array();
  return command_success("Found " + std::to_string(agents->size()) + " agent(s)", b.take());
}

CommandResult delete_agent(CommandContext& ctx) {
  auto id = agent_id_param(ctx.params);
  if (!id) return command_failure(id.status());
  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_success("Agent deleted", "false");
  auto removed = ctx.storage.agents().remove(*ctx.world_id, id.value());
  if (!removed) return command_internal(ctx, removed.status());
  if (!removed.value()) return command_success("Agent deleted", "false");
  CrudPublisher crud(ctx.storage, ctx.now);
  if (Status s =
          crud.publish(*ctx.world_id, "delete", "agent", id.value(), std::nullopt, world.value()->current_chat_id);
      !s) {
    return command_internal(ctx, s);
  }
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);
  CommandResult result = command_success("Agent deleted", "true");
  result.broadcasts = crud.take_frames();
  return result;
}

CommandResult update_agent(CommandContext& ctx) {
  auto id = agent_id_param(ctx.params);
  if (!id) return command_failure(id.status());
  auto settings = read_settings(ctx.params);
  if (!settings) return command_failure(settings.status());

  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_failure(world_not_found(*ctx.world_id, false));
  auto found = ctx.storage.agents().find(*ctx.world_id, id.value());
  if (!found) return command_internal(ctx, found.status());
  if (!found.value()) return command_failure(agent_not_found(id.value()));
  storage::AgentRecord agent = std::move(*found.value());
  apply_settings(settings.value(), agent);
  agent.last_active = iso8601_ms(ctx.now);

  CrudPublisher crud(ctx.storage, ctx.now);
  auto view = save_agent(ctx, *world.value(), agent, "update", crud);
  if (!view) return command_internal(ctx, view.status());
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);
  CommandResult result = command_success("Agent '" + agent.name + "' updated", view.value());
  result.broadcasts = crud.take_frames();
  return result;
}

CommandResult clear_agent_memory(CommandContext& ctx) {
  auto id = agent_id_param(ctx.params);
  if (!id) return command_failure(id.status());
  auto chat_id = optional_string(ctx.params, "chatId");
  if (!chat_id) return command_failure(chat_id.status());

  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_failure(world_not_found(*ctx.world_id, false));
  auto found = ctx.storage.agents().find(*ctx.world_id, id.value());
  if (!found) return command_internal(ctx, found.status());
  if (!found.value()) return command_failure(agent_not_found(id.value()));
  if (chat_id.value()) {
    auto chat = ctx.storage.chats().find(*ctx.world_id, *chat_id.value());
    if (!chat) return command_internal(ctx, chat.status());
    if (!chat.value()) {
      return command_failure(chat_not_found(*chat_id.value()));
    }
  }
  auto removed = ctx.storage.memory().clear(*ctx.world_id, id.value(), chat_id.value());
  if (!removed) return command_internal(ctx, removed.status());
  storage::AgentRecord agent = std::move(*found.value());
  // The new rev fences the counter write of a run that started before the clear (agent-runtime.md §11).
  agent.llm_call_count = 0;

  CrudPublisher crud(ctx.storage, ctx.now);
  auto view = save_agent(ctx, *world.value(), agent, "update", crud);
  if (!view) return command_internal(ctx, view.status());
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);

  JsonBuilder b;
  b.begin_object().field("agentId", agent.id).optional_field("chatId", chat_id.value());
  b.field("removed", removed.value()).end_object();
  CommandResult result = command_success(
      "Cleared " + std::to_string(removed.value()) + " memory row(s) for agent '" + agent.name + "'", b.take());
  result.broadcasts = crud.take_frames();
  return result;
}

}  // namespace aw::gateway
