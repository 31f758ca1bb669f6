// World commands: create-world, get-world, list-worlds, delete-world (ws-protocol.md §8.2) and update-world (§8.3).
#include <algorithm>

#include "common/ids.h"
#include "gateway/core/command_params.h"
#include "gateway/core/command_table.h"
#include "gateway/core/crud_publisher.h"
#include "gateway/core/entity_views.h"
#include "gateway/core/json_builder.h"
#include "gateway/core/mcp_redaction.h"
#include "gateway/core/status_frames.h"
#include "gateway/storage/run_store.h"

namespace aw::gateway {
namespace {

const WorldViewOptions kFullWorld{true, false, std::nullopt};

}  // namespace

CommandResult create_world(CommandContext& ctx) {
  auto name = required_string(ctx.params, "name");
  if (!name) return command_failure(name.status());
  // An empty name gets the id text of agent-runtime.md §1; any other name is checked for length first.
  if (!name->empty()) {
    if (Status s = check_name("name", name.value()); !s) return command_failure(s);
  }
  auto id = make_id(name.value());
  if (!id) return command_failure(id.status());
  auto description = optional_string(ctx.params, "description");
  if (!description) return command_failure(description.status());
  auto limit = turn_limit(ctx.params);
  if (!limit) return command_failure(limit.status());
  auto chat_provider = optional_string(ctx.params, "chatLLMProvider");
  if (!chat_provider) return command_failure(chat_provider.status());
  auto chat_model = optional_string(ctx.params, "chatLLMModel");
  if (!chat_model) return command_failure(chat_model.status());
  auto mcp = mcp_config_update(ctx.params);
  if (!mcp) return command_failure(mcp.status());
  if (!ctx.principal.may_access_world(id.value())) {
    return command_failure(Status::error("forbidden", "Access to world '" + id.value() + "' denied"));
  }

  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto existing = ctx.storage.worlds().find(id.value());
  if (!existing) return command_internal(ctx, existing.status());
  if (existing.value()) {
    return command_failure(
        Status::error("already_exists", command_failed_text("World with name '" + name.value() + "' already exists")));
  }

  const std::string now_iso = iso8601_ms(ctx.now);
  storage::WorldRecord world;
  world.id = id.value();
  world.name = name.value();
  world.description = description.value();
  world.turn_limit = limit.value();
  world.chat_llm_provider = chat_provider.value();
  world.chat_llm_model = chat_model.value();
  if (mcp.value()) world.mcp_config = *mcp.value();
  world.created_at = world.updated_at = now_iso;

  if (Status s = ctx.storage.worlds().insert(world); !s) return command_internal(ctx, s);
  // A tombstone of an earlier world with this id keeps its seq; the new epoch tells clients it is another world.
  if (Status s = ctx.storage.events().open_log(world.id, new_epoch()); !s) return command_internal(ctx, s);
  auto chat = insert_new_chat(ctx, world.id);
  if (!chat) return command_internal(ctx, chat.status());
  world.current_chat_id = chat->id;
  if (Status s = ctx.storage.worlds().set_current_chat(world.id, chat->id, now_iso); !s) {
    return command_internal(ctx, s);
  }

  CrudPublisher crud(ctx.storage, ctx.now);
  if (Status s = crud.publish_world(world, "create"); !s) return command_internal(ctx, s);
  if (Status s = crud.publish(world.id, "create", "chat", chat->id, chat_view(chat.value()), chat->id); !s) {
    return command_internal(ctx, s);
  }
  auto data = world_view(ctx.storage, world, kFullWorld);
  if (!data) return command_internal(ctx, data.status());
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);

  CommandResult result = command_success("World '" + name.value() + "' created successfully", data.value());
  result.broadcasts = crud.take_frames();
  return result;
}

CommandResult get_world(CommandContext& ctx) {
  if (!ctx.world_id) return command_success("World not found", "null");
  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_success("World not found", "null");
  auto data = world_view(ctx.storage, *world.value(), kFullWorld);
  if (!data) return command_internal(ctx, data.status());
  return command_success("World '" + world.value()->name + "' retrieved", data.value());
}

CommandResult list_worlds(CommandContext& ctx) {
  // Cached between writes; otherwise one statement for the worlds and their counts, however many worlds there are.
  auto summaries = ctx.world_summaries.summaries(ctx.storage);
  if (!summaries) return command_internal(ctx, summaries.status());
  const std::vector<WorldSummaryCache::Entry>& entries = *summaries.value();
  const std::vector<std::string>& allowed = ctx.principal.worlds;
  if (std::find(allowed.begin(), allowed.end(), "*") != allowed.end()) {
    // Every world is visible: the cache's joined array as it is (the hot read of the benchmarks).
    return command_success("Found " + std::to_string(entries.size()) + " world(s)", ctx.world_summaries.all_json());
  }
  std::size_t bytes = 2;
  for (const auto& entry : entries) bytes += entry.json.size() + 1;
  std::string data;
  data.reserve(bytes);
  data += '[';
  std::size_t n = 0;
  for (const auto& entry : entries) {
    if (!ctx.principal.may_access_world(entry.world_id)) continue;
    if (n++ > 0) data += ',';
    data += entry.json;
  }
  data += ']';
  return command_success("Found " + std::to_string(n) + " world(s)", std::move(data));
}

CommandResult delete_world(CommandContext& ctx) {
  if (!ctx.world_id) return command_success("World deleted", "false");
  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_success("World deleted", "false");
  const storage::WorldRecord& w = *world.value();

  // Its pending and processing items end now (agent-runtime.md §10.1); their senders and subscribers are told.
  auto active = ctx.storage.queue().active(w.id);
  if (!active) return command_internal(ctx, active.status());
  std::vector<StatusBroadcast> statuses;
  for (const auto& item : active.value()) {
    auto chat = storage::RunStore(ctx.storage).run_chat(w, item);
    if (!chat) return command_internal(ctx, chat.status());
    FailedStatus failed;
    failed.world_id = w.id;
    failed.message_id = item.message_id;
    failed.chat_id = chat.value();
    failed.error = "World '" + w.id + "' not found";
    failed.code = "world_not_found";
    failed.attempt = item.attempt;
    // A running attempt stops without a commit: what it streamed is void.
    failed.superseded = item.state == "processing";
    statuses.push_back(failed_status(failed, ctx.now));
  }

  CrudPublisher crud(ctx.storage, ctx.now);
  if (Status s = crud.publish(w.id, "delete", "world", w.id, std::nullopt, std::nullopt); !s) {
    return command_internal(ctx, s);
  }
  if (auto n = ctx.storage.queue().delete_world(w.id); !n) return command_internal(ctx, n.status());
  if (auto n = ctx.storage.events().delete_world_events(w.id); !n) return command_internal(ctx, n.status());
  if (auto removed = ctx.storage.worlds().remove(w.id); !removed) return command_internal(ctx, removed.status());
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);

  CommandResult result = command_success("World deleted", "true");
  result.broadcasts = crud.take_frames();
  result.deleted_worlds.push_back(w.id);
  result.statuses = std::move(statuses);
  return result;
}

CommandResult update_world(CommandContext& ctx) {
  auto name = string_update(ctx.params, "name");
  if (!name) return command_failure(name.status());
  if (name.value()) {
    if (!*name.value()) return command_failure(invalid_param("name", "must be 1 to 100 characters"));
    if (Status s = check_name("name", **name.value()); !s) return command_failure(s);
  }
  auto description = string_update(ctx.params, "description");
  if (!description) return command_failure(description.status());
  std::optional<std::int64_t> new_turn_limit;
  if (has_param(ctx.params, "turnLimit")) {
    auto limit = turn_limit(ctx.params);
    if (!limit) return command_failure(limit.status());
    new_turn_limit = limit.value();
  }
  auto chat_provider = string_update(ctx.params, "chatLLMProvider");
  if (!chat_provider) return command_failure(chat_provider.status());
  auto chat_model = string_update(ctx.params, "chatLLMModel");
  if (!chat_model) return command_failure(chat_model.status());
  auto mcp = mcp_config_update(ctx.params);
  if (!mcp) return command_failure(mcp.status());

  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto found = ctx.storage.worlds().find(*ctx.world_id);
  if (!found) return command_internal(ctx, found.status());
  if (!found.value()) return command_failure(world_not_found(*ctx.world_id, false));
  storage::WorldRecord world = std::move(*found.value());

  if (name.value()) world.name = **name.value();
  if (description.value()) world.description = *description.value();
  if (new_turn_limit) world.turn_limit = *new_turn_limit;
  if (chat_provider.value()) world.chat_llm_provider = *chat_provider.value();
  if (chat_model.value()) world.chat_llm_model = *chat_model.value();
  if (mcp.value()) {
    const auto& incoming = *mcp.value();
    // A client that sends back the redacted form it was shown leaves the stored secrets alone (§3.6).
    bool is_redacted_echo = false;
    if (incoming && world.mcp_config) {
      auto parsed = json::parse_untrusted(*incoming);
      auto normalised = parsed ? json::to_string(parsed.value()) : std::nullopt;
      is_redacted_echo = normalised && *normalised == redact_mcp_config(*world.mcp_config);
    }
    if (!is_redacted_echo) world.mcp_config = incoming;
  }
  world.updated_at = iso8601_ms(ctx.now);
  if (Status s = ctx.storage.worlds().update(world); !s) return command_internal(ctx, s);

  CrudPublisher crud(ctx.storage, ctx.now);
  if (Status s = crud.publish_world(world, "update"); !s) return command_internal(ctx, s);
  auto data = world_view(ctx.storage, world, kFullWorld);
  if (!data) return command_internal(ctx, data.status());
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);

  CommandResult result = command_success("World '" + world.name + "' updated", data.value());
  result.broadcasts = crud.take_frames();
  return result;
}

}  // namespace aw::gateway
