// Session: the commands that show data (lists, details, export, queue), as readable text.
#include <fstream>

#include "common/json.h"
#include "tools/aw-cli/session.h"

namespace aw::cli {
namespace {

std::string field(const json::Value& v, const char* key) {
  const json::Value* f = json::find(v, key);
  if (f == nullptr || f->IsNull()) return "";
  if (f->IsString()) return std::string(f->GetString(), f->GetStringLength());
  if (f->IsBool()) return f->GetBool() ? "true" : "false";
  return json::to_string(*f).value_or("");
}

const json::Value* data_of(const client::ServerFrame& f) { return json::find(f.payload(), "data"); }

}  // namespace

void Session::list_worlds() {
  auto r = call("", "list-worlds", "{}");
  if (!r || json_) return;
  const json::Value* data = data_of(*r);
  if (data == nullptr || !data->IsArray() || data->Empty()) {
    console_.line("No worlds");
    return;
  }
  for (const auto& w : data->GetArray()) {
    const std::string id = field(w, "id");
    console_.line(std::string(id == world_ ? "* " : "  ") + id + "  " + field(w, "name") + "  (" +
                  field(w, "agentCount") + " agents, " + field(w, "chatCount") + " chats)");
  }
}

void Session::show_world() {
  if (!need_world()) return;
  auto r = call(world_, "get-world", "{}");
  if (!r || json_) return;
  const json::Value* w = data_of(*r);
  if (w == nullptr || !w->IsObject()) return;
  console_.line("World " + field(*w, "id") + ": " + field(*w, "name"));
  if (!field(*w, "description").empty()) console_.line("  " + field(*w, "description"));
  console_.line("  turn limit " + field(*w, "turnLimit") + ", current chat " + field(*w, "currentChatId") +
                ", chat in use " + chat_.value_or("-") + ", processing " + field(*w, "isProcessing"));
}

void Session::list_agents() {
  if (!need_world()) return;
  auto r = call(world_, "list-agents", "{}");
  if (!r || json_) return;
  const json::Value* data = data_of(*r);
  if (data == nullptr || !data->IsArray() || data->Empty()) {
    console_.line("No agents");
    return;
  }
  for (const auto& a : data->GetArray()) {
    const std::string id = field(a, "id");
    console_.line("  " + console_.paint(id, console_.agent_colour(id)) + "  " + field(a, "name") + "  " +
                  field(a, "provider") + "/" + field(a, "model") + "  calls " + field(a, "llmCallCount"));
  }
}

void Session::show_agent(const std::string& id) {
  if (!need_world()) return;
  std::string params = "{\"agentId\":";
  json::append_quoted(params, id);
  params += "}";
  auto r = call(world_, "get-agent", params);
  if (!r || json_) return;
  const json::Value* a = data_of(*r);
  if (a == nullptr || !a->IsObject()) {
    console_.line("Agent '" + id + "' not found");
    return;
  }
  console_.line("Agent " + field(*a, "id") + " (" + field(*a, "name") + ")");
  for (const char* key : {"type", "status", "provider", "model", "systemPrompt", "temperature", "maxTokens",
                          "llmCallCount", "memorySize", "lastActive"}) {
    const std::string v = field(*a, key);
    if (!v.empty()) console_.line(std::string("  ") + key + ": " + v);
  }
}

void Session::create_agent(const std::string& args) {
  if (!need_world()) return;
  // NAME [PROVIDER [MODEL [SYSTEM PROMPT...]]]
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (parts.size() < 3 && pos < args.size()) {
    const auto space = args.find(' ', pos);
    parts.push_back(args.substr(pos, space == std::string::npos ? std::string::npos : space - pos));
    pos = space == std::string::npos ? args.size() : args.find_first_not_of(' ', space);
    if (pos == std::string::npos) pos = args.size();
  }
  if (parts.empty() || parts[0].empty()) {
    console_.line("usage: /create-agent NAME [PROVIDER [MODEL [SYSTEM PROMPT...]]]");
    return;
  }
  std::string params = "{\"name\":";
  json::append_quoted(params, parts[0]);
  if (parts.size() > 1) {
    params += ",\"provider\":";
    json::append_quoted(params, parts[1]);
  }
  if (parts.size() > 2) {
    params += ",\"model\":";
    json::append_quoted(params, parts[2]);
  }
  if (pos < args.size()) {
    params += ",\"systemPrompt\":";
    json::append_quoted(params, args.substr(pos));
  }
  params += "}";
  auto r = call(world_, "create-agent", params);
  if (!r || json_) return;
  const json::Value* a = data_of(*r);
  if (a != nullptr && a->IsObject()) console_.line("Agent '" + field(*a, "id") + "' created");
}

void Session::list_chats() {
  if (!need_world()) return;
  auto r = call(world_, "list-chats", "{}");
  if (!r || json_) return;
  const json::Value* data = data_of(*r);
  if (data == nullptr || !data->IsArray()) return;
  for (const auto& c : data->GetArray()) {
    const std::string id = field(c, "id");
    console_.line(std::string(chat_ && *chat_ == id ? "* " : "  ") + id + "  " + field(c, "name") + "  (" +
                  field(c, "messageCount") + " messages)");
  }
}

void Session::export_world(const std::string& file) {
  if (!need_world()) return;
  auto r = call(world_, "export-world", "{}");
  if (!r) return;
  const std::string text = field(r->payload(), "data");
  if (!file.empty()) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      last_ = Status::error("io_error", "cannot write " + file);
      console_.line(console_.paint("! cannot write " + file, Colour::kRed));
      return;
    }
    if (!json_) console_.line("Exported " + std::to_string(text.size()) + " bytes to " + file);
  } else if (!json_) {
    console_.line(text);
  }
}

void Session::show_queue() {
  if (!need_world()) return;
  auto r = call(world_, "queue-status", "{}");
  if (!r || json_) return;
  const json::Value* data = data_of(*r);
  const json::Value* worlds = data != nullptr ? json::find(*data, "worlds") : nullptr;
  if (worlds == nullptr || !worlds->IsArray() || worlds->Empty()) {
    console_.line("Queue empty");
    return;
  }
  for (const auto& w : worlds->GetArray()) {
    console_.line(field(w, "worldId") + ": pending " + field(w, "pending") + ", processing " + field(w, "processing") +
                  ", failed " + field(w, "failed"));
  }
}

}  // namespace aw::cli
