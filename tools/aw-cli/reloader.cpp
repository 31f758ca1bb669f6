// Reloader (see reloader.h).
#include "tools/aw-cli/reloader.h"

#include "common/json.h"

namespace aw::cli {
namespace {

std::string text_of(const json::Value& v, const char* key) {
  if (auto s = json::get_string(v, key)) return *s;
  return "";
}

std::size_t array_size(const json::Value& v, const char* key) {
  const json::Value* a = json::find(v, key);
  return a != nullptr && a->IsArray() ? a->Size() : 0;
}

}  // namespace

Reloader::Reloader(Console& console, Renderer& renderer, std::size_t message_limit)
    : console_(console), renderer_(renderer), message_limit_(message_limit) {}

void Reloader::reload(const std::string& world_id) {
  client::Client* client = client_.load();
  if (client == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_.insert(world_id).second) return;
  }
  console_.line(
      console_.paint("* events of '" + world_id + "' were missed and cannot be replayed: reloading", Colour::kYellow));
  client->command_async(world_id, "get-world", "{}", [this, world_id](Result<client::ServerFrame> r) {
    if (!r) {
      finish(world_id, r.status());
      return;
    }
    show_world(world_id, r.value());
  });
}

void Reloader::show_world(const std::string& world_id, const client::ServerFrame& answer) {
  const json::Value* world = json::find(answer.payload(), "data");
  if (world == nullptr || !world->IsObject()) {
    finish(world_id, Status::error("world_not_found", "World '" + world_id + "' not found"));
    return;
  }
  std::string agents;
  if (const json::Value* list = json::find(*world, "agents"); list != nullptr && list->IsArray()) {
    for (const auto& a : list->GetArray()) {
      const std::string id = text_of(a, "id");
      agents += (agents.empty() ? "" : ", ") + console_.paint(id, console_.agent_colour(id));
    }
  }
  // The chat in view when this world is the one shown, else the world's current chat.
  const auto [view_world, view_chat] = renderer_.view();
  std::string chat = text_of(*world, "currentChatId");
  if (view_world == world_id && view_chat) chat = *view_chat;
  console_.line(console_.paint("* world '" + text_of(*world, "name") + "' (" + world_id + "): ", Colour::kBold) +
                std::to_string(array_size(*world, "agents")) + " agent(s)" +
                (agents.empty() ? "" : " [" + agents + "]") + ", " + std::to_string(array_size(*world, "chats")) +
                " chat(s), chat " + (chat.empty() ? "-" : chat));
  if (chat.empty()) {
    finish(world_id, Status::ok());
    return;
  }
  std::string params = "{\"chatId\":";
  json::append_quoted(params, chat);
  params += ",\"limit\":" + std::to_string(message_limit_) + "}";
  client::Client* client = client_.load();
  client->command_async(world_id, "get-chat-messages", params, [this, world_id](Result<client::ServerFrame> r) {
    if (!r) {
      finish(world_id, r.status());
      return;
    }
    show_messages(world_id, r.value());
  });
}

void Reloader::show_messages(const std::string& world_id, const client::ServerFrame& answer) {
  const json::Value* data = json::find(answer.payload(), "data");
  const json::Value* messages = data != nullptr ? json::find(*data, "messages") : nullptr;
  std::size_t shown = 0;
  if (messages != nullptr && messages->IsArray()) {
    for (const auto& m : messages->GetArray()) {
      renderer_.show_stored(text_of(m, "sender"), text_of(m, "content"));
      ++shown;
    }
  }
  const auto total = data != nullptr ? json::get_int(*data, "total") : std::nullopt;
  console_.line(console_.paint("* reloaded: last " + std::to_string(shown) + " of " +
                                   std::to_string(total.value_or(static_cast<std::int64_t>(shown))) + " message(s)",
                               Colour::kYellow));
  finish(world_id, Status::ok());
}

void Reloader::finish(const std::string& world_id, const Status& status) {
  if (!status) {
    console_.line(console_.paint("! reload of '" + world_id + "' failed: " + status.message() + " (" + status.code() +
                                     "); /world " + world_id + " shows it again",
                                 Colour::kRed));
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_.erase(world_id);
  }
  ++completed_;
}

}  // namespace aw::cli
