// export-world (ws-protocol.md §8.2, agent-runtime.md §12): reads the snapshot from storage and renders it with
// render_world_export() (world_export.h).
#include "gateway/core/command_params.h"
#include "gateway/core/command_table.h"
#include "gateway/core/json_builder.h"
#include "gateway/core/world_export.h"

namespace aw::gateway {
namespace {

// Tool calls of a stored message payload (OpenAI shape: tool_calls[].function.name, or tool_calls[].name).
void read_tool_calls(const std::string& payload, ExportMessage& out) {
  auto doc = json::parse_trusted(payload);
  if (!doc) return;
  const json::Value* calls = json::find(doc.value(), "tool_calls");
  if (calls == nullptr || !calls->IsArray()) return;
  for (const auto& call : calls->GetArray()) {
    ++out.tool_call_count;
    std::optional<std::string> name;
    if (const json::Value* fn = json::find(call, "function")) name = json::get_string(*fn, "name");
    if (!name) name = json::get_string(call, "name");
    out.tool_call_names.push_back(name.value_or(""));
  }
}

Result<ExportSnapshot> read_snapshot(CommandContext& ctx, const storage::WorldRecord& world) {
  ExportSnapshot snap;
  snap.world_id = world.id;
  snap.world_name = world.name;
  snap.description = world.description;
  snap.turn_limit = world.turn_limit;
  snap.chat_llm_provider = world.chat_llm_provider;
  snap.chat_llm_model = world.chat_llm_model;
  snap.exported_at_ms = ctx.now;
  snap.version = AW_VERSION;

  auto counts = ctx.storage.worlds().counts(world.id);
  if (!counts) return counts.status();
  snap.chat_count = counts->chat_count;

  auto agents = ctx.storage.agents().list(world.id);
  if (!agents) return agents.status();
  for (const auto& a : agents.value()) {
    snap.agents.push_back(
        ExportAgent{a.id, a.name, a.provider, a.model, a.system_prompt, a.temperature, a.max_tokens, a.llm_call_count});
  }

  if (!world.current_chat_id) return snap;
  auto chat = ctx.storage.chats().find(world.id, *world.current_chat_id);
  if (!chat) return chat.status();
  if (!chat.value()) return snap;
  snap.has_current_chat = true;
  snap.current_chat_name = chat.value()->name;

  auto messages = ctx.storage.conversation().list(world.id, chat.value()->id);
  if (!messages) return messages.status();
  for (const auto& m : messages.value()) {
    ExportMessage item;
    item.message_id = m.message_id;
    item.sender = m.sender;
    item.content = m.content;
    item.reply_to_message_id = m.reply_to_message_id;
    read_tool_calls(m.payload, item);
    snap.messages.push_back(std::move(item));
  }
  auto events = ctx.storage.events().chat_events(world.id, chat.value()->id);
  if (!events) return events.status();
  for (const auto& e : events.value()) snap.events.push_back(ExportEvent{e.event_type, e.payload, e.ts_ms});
  return snap;
}

}  // namespace

CommandResult export_world(CommandContext& ctx) {
  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_failure(world_not_found(*ctx.world_id, true));
  auto snapshot = read_snapshot(ctx, *world.value());
  if (!snapshot) return command_internal(ctx, snapshot.status());
  const std::string markdown = render_world_export(snapshot.value());
  JsonBuilder b;
  b.value(markdown);
  return command_success("World exported (" + std::to_string(code_point_count(markdown)) + " characters)", b.take());
}

}  // namespace aw::gateway
