// Chat commands: new-chat, list-chats, delete-chat (ws-protocol.md §8.2) and select-chat, rename-chat,
// get-chat-messages (§8.3). Chat lifecycle rules: agent-runtime.md §10.1; crud frames: §10.3.
#include <limits>

#include "common/ids.h"
#include "gateway/core/command_params.h"
#include "gateway/core/command_table.h"
#include "gateway/core/crud_publisher.h"
#include "gateway/core/entity_views.h"
#include "gateway/core/json_builder.h"

namespace aw::gateway {
namespace {

constexpr std::int64_t kDefaultPageSize = 50;
constexpr std::int64_t kMaxPageSize = 500;

Status make_current(CommandContext& ctx, storage::WorldRecord& world, const std::string& chat_id) {
  world.current_chat_id = chat_id;
  world.updated_at = iso8601_ms(ctx.now);
  return ctx.storage.worlds().set_current_chat(world.id, chat_id, world.updated_at);
}

}  // namespace

Result<storage::ChatRecord> insert_new_chat(CommandContext& ctx, const std::string& world_id) {
  storage::ChatRecord chat;
  chat.id = new_chat_id(ctx.now);
  chat.world_id = world_id;
  chat.name = storage::kNewChatName;
  chat.created_at = chat.updated_at = iso8601_ms(ctx.now);
  if (Status s = ctx.storage.chats().insert(chat); !s) return s;
  return chat;
}

CommandResult new_chat(CommandContext& ctx) {
  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto found = ctx.storage.worlds().find(*ctx.world_id);
  if (!found) return command_internal(ctx, found.status());
  if (!found.value()) return command_failure(world_not_found(*ctx.world_id, true));
  storage::WorldRecord world = std::move(*found.value());

  // Reuse an empty "New Chat" rather than pile them up [compat rule]; emptiness per agent-runtime.md §10.1.
  auto reusable = ctx.storage.chats().find_reusable_new_chat(world.id);
  if (!reusable) return command_internal(ctx, reusable.status());
  const bool created = !reusable.value();
  storage::ChatRecord chat;
  if (created) {
    auto inserted = insert_new_chat(ctx, world.id);
    if (!inserted) return command_internal(ctx, inserted.status());
    chat = std::move(inserted.value());
  } else {
    chat = std::move(*reusable.value());
  }
  const bool changed = world.current_chat_id != chat.id;
  if (changed) {
    if (Status s = make_current(ctx, world, chat.id); !s) return command_internal(ctx, s);
  }

  CrudPublisher crud(ctx.storage, ctx.now);
  if (created) {
    if (Status s = crud.publish(world.id, "create", "chat", chat.id, chat_view(chat), world.current_chat_id); !s) {
      return command_internal(ctx, s);
    }
  }
  if (changed) {
    if (Status s = crud.publish_world(world, "update"); !s) return command_internal(ctx, s);
  }
  auto data = world_view(ctx.storage, world, WorldViewOptions{true, false, chat.id});
  if (!data) return command_internal(ctx, data.status());
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);
  CommandResult result = command_success("Chat '" + world.name + "' created successfully", data.value());
  result.broadcasts = crud.take_frames();
  return result;
}

CommandResult list_chats(CommandContext& ctx) {
  auto chats = ctx.storage.chats().list(*ctx.world_id);
  if (!chats) return command_internal(ctx, chats.status());
  JsonBuilder b;
  b.begin_array();
  for (const auto& chat : chats.value()) write_chat(b, chat);
  b.end_array();
  return command_success("Found " + std::to_string(chats->size()) + " chat(s)", b.take());
}

CommandResult delete_chat(CommandContext& ctx) {
  auto chat_id = required_string(ctx.params, "chatId");
  if (!chat_id) return command_failure(chat_id.status());
  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto found = ctx.storage.worlds().find(*ctx.world_id);
  if (!found) return command_internal(ctx, found.status());
  if (!found.value()) return command_success("Chat deleted", "false");
  storage::WorldRecord world = std::move(*found.value());
  auto removed = ctx.storage.chats().remove(world.id, chat_id.value());
  if (!removed) return command_internal(ctx, removed.status());
  if (!removed.value()) return command_success("Chat deleted", "false");
  if (auto n = ctx.storage.events().delete_chat_events(world.id, chat_id.value()); !n) {
    return command_internal(ctx, n.status());
  }

  // The world always keeps a valid current chat: the most recently updated one left, else a new "New Chat".
  std::optional<storage::ChatRecord> created;
  const bool changed = world.current_chat_id == chat_id.value();
  if (changed) {
    auto next = ctx.storage.chats().most_recently_updated(world.id);
    if (!next) return command_internal(ctx, next.status());
    std::string next_id;
    if (next.value()) {
      next_id = next.value()->id;
    } else {
      auto inserted = insert_new_chat(ctx, world.id);
      if (!inserted) return command_internal(ctx, inserted.status());
      next_id = inserted->id;
      created = std::move(inserted.value());
    }
    if (Status s = make_current(ctx, world, next_id); !s) return command_internal(ctx, s);
  }

  CrudPublisher crud(ctx.storage, ctx.now);
  if (Status s = crud.publish(world.id, "delete", "chat", chat_id.value(), std::nullopt, world.current_chat_id); !s) {
    return command_internal(ctx, s);
  }
  if (created) {
    if (Status s = crud.publish(world.id, "create", "chat", created->id, chat_view(*created), world.current_chat_id);
        !s) {
      return command_internal(ctx, s);
    }
  }
  if (changed) {
    if (Status s = crud.publish_world(world, "update"); !s) return command_internal(ctx, s);
  }
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);
  CommandResult result = command_success("Chat deleted", "true");
  result.broadcasts = crud.take_frames();
  return result;
}

CommandResult select_chat(CommandContext& ctx) {
  auto chat_id = required_string(ctx.params, "chatId");
  if (!chat_id) return command_failure(chat_id.status());
  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto found = ctx.storage.worlds().find(*ctx.world_id);
  if (!found) return command_internal(ctx, found.status());
  if (!found.value()) return command_failure(world_not_found(*ctx.world_id, false));
  storage::WorldRecord world = std::move(*found.value());
  auto chat = ctx.storage.chats().find(world.id, chat_id.value());
  if (!chat) return command_internal(ctx, chat.status());
  if (!chat.value()) return command_failure(chat_not_found(chat_id.value()));

  CrudPublisher crud(ctx.storage, ctx.now);
  if (world.current_chat_id != chat_id.value()) {
    if (Status s = make_current(ctx, world, chat_id.value()); !s) return command_internal(ctx, s);
    if (Status s = crud.publish_world(world, "update"); !s) return command_internal(ctx, s);
  }
  auto data = world_view(ctx.storage, world, WorldViewOptions{});
  if (!data) return command_internal(ctx, data.status());
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);
  CommandResult result = command_success("Chat '" + chat.value()->name + "' selected", data.value());
  result.broadcasts = crud.take_frames();
  return result;
}

CommandResult rename_chat(CommandContext& ctx) {
  auto chat_id = required_string(ctx.params, "chatId");
  if (!chat_id) return command_failure(chat_id.status());
  auto name = required_string(ctx.params, "name");
  if (!name) return command_failure(name.status());
  if (Status s = check_name("name", name.value()); !s) return command_failure(s);
  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_failure(world_not_found(*ctx.world_id, false));
  auto found = ctx.storage.chats().find(*ctx.world_id, chat_id.value());
  if (!found) return command_internal(ctx, found.status());
  if (!found.value()) return command_failure(chat_not_found(chat_id.value()));
  storage::ChatRecord chat = std::move(*found.value());
  chat.name = name.value();
  chat.updated_at = iso8601_ms(ctx.now);
  if (Status s = ctx.storage.chats().update(chat); !s) return command_internal(ctx, s);

  CrudPublisher crud(ctx.storage, ctx.now);
  const std::string view = chat_view(chat);
  if (Status s = crud.publish(chat.world_id, "update", "chat", chat.id, view, world.value()->current_chat_id); !s) {
    return command_internal(ctx, s);
  }
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);
  CommandResult result = command_success("Chat renamed to '" + chat.name + "'", view);
  result.broadcasts = crud.take_frames();
  return result;
}

CommandResult get_chat_messages(CommandContext& ctx) {
  auto requested = optional_string(ctx.params, "chatId");
  if (!requested) return command_failure(requested.status());
  auto limit = optional_integer(ctx.params, "limit", 1, kMaxPageSize, "must be an integer between 1 and 500");
  if (!limit) return command_failure(limit.status());
  auto before =
      optional_integer(ctx.params, "beforeSeq", 0, std::numeric_limits<std::int64_t>::max(), "must be an integer >= 0");
  if (!before) return command_failure(before.status());

  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_failure(world_not_found(*ctx.world_id, false));
  const std::string chat_id = requested.value().value_or(world.value()->current_chat_id.value_or(""));
  auto chat = ctx.storage.chats().find(*ctx.world_id, chat_id);
  if (!chat) return command_internal(ctx, chat.status());
  if (!chat.value()) return command_failure(chat_not_found(chat_id));

  auto page =
      ctx.storage.conversation().page(*ctx.world_id, chat_id, before.value(), limit.value().value_or(kDefaultPageSize));
  if (!page) return command_internal(ctx, page.status());
  JsonBuilder b;
  b.begin_object().field("chatId", chat_id).key("messages").begin_array();
  for (const auto& message : page->messages) b.raw(chat_message_view(message));
  b.end_array();
  b.field("total", chat.value()->message_count).field("hasMore", page->has_more);
  if (page->has_more) b.field("nextBeforeSeq", page->messages.front().seq);
  b.end_object();
  return command_success("Found " + std::to_string(page->messages.size()) + " message(s)", b.take());
}

}  // namespace aw::gateway
