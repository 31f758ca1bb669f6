// Session (see session.h).
#include "tools/aw-cli/session.h"

#include <fstream>
#include <future>
#include <memory>
#include <sstream>

#include "client/outgoing_frame.h"
#include "common/json.h"

namespace aw::cli {
namespace {

std::string quoted(const std::string& s) {
  std::string out;
  json::append_quoted(out, s);
  return out;
}

// Splits "cmd rest of line" at the first space.
std::pair<std::string, std::string> split_first(const std::string& s) {
  const auto space = s.find(' ');
  if (space == std::string::npos) return {s, ""};
  std::string rest = s.substr(space + 1);
  rest.erase(0, rest.find_first_not_of(' '));
  return {s.substr(0, space), rest};
}

std::string str(const json::Value& v, const char* key) {
  if (auto s = json::get_string(v, key)) return *s;
  if (auto i = json::get_int(v, key)) return std::to_string(*i);
  return "";
}

constexpr const char* kHelp =
    "Commands:\n"
    "  /help                      this list\n"
    "  /worlds                    list worlds\n"
    "  /world [ID]                show the current world, or switch to world ID\n"
    "  /create-world NAME         create a world and switch to it\n"
    "  /agents                    list the world's agents\n"
    "  /agent ID                  show one agent\n"
    "  /create-agent NAME [PROVIDER [MODEL [SYSTEM PROMPT...]]]\n"
    "  /delete-agent ID\n"
    "  /chats                     list chats (* = the one in use)\n"
    "  /new-chat                  start a new chat and use it\n"
    "  /select-chat ID            use chat ID\n"
    "  /rename-chat NAME          rename the chat in use\n"
    "  /export [FILE]             export the world as markdown (to FILE, else print it)\n"
    "  /queue                     queue status of the world\n"
    "  /cancel                    cancel the running message (also Ctrl-C)\n"
    "  /quit                      leave (also Ctrl-D)\n"
    "Anything else is sent to the world as a message.";

}  // namespace

Session::Session(client::Client& client, Console& console, Renderer& renderer, bool json_output)
    : client_(client), console_(console), renderer_(renderer), json_(json_output) {}

std::optional<client::ServerFrame> Session::call(const std::string& world_id, const std::string& name,
                                                 const std::string& params_json) {
  auto result = client_.command(world_id, name, params_json).get();
  if (!result) {
    last_ = result.status();
    if (!json_ || result.status().code() == "timeout" || result.status().code() == "disconnected") {
      console_.line(console_.paint("! " + name + ": " + result.status().message() + " (" + result.status().code() + ")",
                                   Colour::kRed));
    }
    return std::nullopt;
  }
  last_ = Status::ok();
  return std::move(result).value();
}

bool Session::need_world() {
  if (!world_.empty()) return true;
  last_ = Status::invalid_request("no world selected");
  console_.line(console_.paint("! no world selected: use /worlds and /world ID", Colour::kRed));
  return false;
}

Status Session::select_world(const std::string& world_id, const std::optional<std::string>& chat_id) {
  auto world = call(world_id, "get-world", "{}");
  if (!world) return last_;
  const json::Value* data = json::find(world->payload(), "data");
  if (data == nullptr || !data->IsObject()) {
    last_ = Status::error("world_not_found", "World '" + world_id + "' not found");
    if (!json_) console_.line(console_.paint("! " + last_.message(), Colour::kRed));
    return last_;
  }
  const std::string id = str(*data, "id");
  if (!world_.empty() && world_ != id) (void)client_.unsubscribe(world_, std::nullopt).get();
  world_ = id;
  chat_ = chat_id ? chat_id : json::get_string(*data, "currentChatId");
  renderer_.set_view(world_, chat_);
  auto sub = client_.subscribe(world_, std::nullopt).get();
  if (!sub) {
    last_ = sub.status();
    console_.line(console_.paint("! subscribe: " + sub.status().message(), Colour::kRed));
    return last_;
  }
  if (!json_) {
    console_.line(console_.paint("World '" + str(*data, "name") + "' (" + world_ + "), chat " + chat_.value_or("-"),
                                 Colour::kBold));
  }
  last_ = Status::ok();
  return last_;
}

Status Session::pick_world(const std::function<std::optional<std::string>()>& read_answer) {
  auto worlds = call("", "list-worlds", "{}");
  if (!worlds) return last_;
  const json::Value* data = json::find(worlds->payload(), "data");
  std::vector<std::string> ids;
  if (data != nullptr && data->IsArray()) {
    for (const auto& w : data->GetArray()) ids.push_back(str(w, "id"));
  }
  if (ids.empty()) {
    console_.line("No worlds yet: create one with /create-world NAME");
    return Status::ok();
  }
  for (std::size_t i = 0; i < ids.size(); ++i) console_.line("  " + std::to_string(i + 1) + ") " + ids[i]);
  for (;;) {
    console_.line("Pick a world (number or id):");
    auto answer = read_answer();
    if (!answer) return Status::error("cancelled", "no world picked");
    std::string choice = *answer;
    if (choice.empty()) continue;
    if (choice.size() <= 6 && choice.find_first_not_of("0123456789") == std::string::npos) {
      const std::size_t n = std::stoul(choice);
      if (n >= 1 && n <= ids.size()) choice = ids[n - 1];
    }
    if (select_world(choice, std::nullopt)) return Status::ok();
  }
}

bool Session::run_line(const std::string& raw) {
  std::string line = raw;
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  last_ = Status::ok();
  if (line.empty()) return true;
  if (line[0] != '/') {
    send_text(line);
    return true;
  }
  auto [cmd, arg] = split_first(line);
  if (cmd == "/quit" || cmd == "/exit") return false;
  if (cmd == "/help") {
    print_help();
  } else if (cmd == "/worlds") {
    list_worlds();
  } else if (cmd == "/world") {
    if (arg.empty()) {
      show_world();
    } else {
      (void)select_world(arg, std::nullopt);
    }
  } else if (cmd == "/create-world") {
    if (arg.empty()) {
      console_.line("usage: /create-world NAME");
    } else if (auto r = call("", "create-world", "{\"name\":" + quoted(arg) + "}")) {
      const json::Value* data = json::find(r->payload(), "data");
      if (data != nullptr && data->IsObject()) (void)select_world(str(*data, "id"), std::nullopt);
    }
  } else if (cmd == "/agents") {
    list_agents();
  } else if (cmd == "/agent") {
    show_agent(arg);
  } else if (cmd == "/create-agent") {
    create_agent(arg);
  } else if (cmd == "/delete-agent") {
    if (need_world() && call(world_, "delete-agent", "{\"agentId\":" + quoted(arg) + "}") && !json_) {
      console_.line("Agent '" + arg + "' deleted");
    }
  } else if (cmd == "/chats") {
    list_chats();
  } else if (cmd == "/new-chat") {
    if (!need_world()) return true;
    if (auto r = call(world_, "new-chat", "{}")) {
      const json::Value* data = json::find(r->payload(), "data");
      if (data != nullptr && data->IsObject()) use_chat(str(*data, "currentChatId"));
    }
  } else if (cmd == "/select-chat") {
    if (need_world() && call(world_, "select-chat", "{\"chatId\":" + quoted(arg) + "}")) use_chat(arg);
  } else if (cmd == "/rename-chat") {
    if (need_world() && chat_ &&
        call(world_, "rename-chat", "{\"chatId\":" + quoted(*chat_) + ",\"name\":" + quoted(arg) + "}") && !json_) {
      console_.line("Chat renamed to '" + arg + "'");
    }
  } else if (cmd == "/export") {
    export_world(arg);
  } else if (cmd == "/queue") {
    show_queue();
  } else if (cmd == "/cancel") {
    if (!cancel_running()) console_.line("Nothing is running");
  } else {
    last_ = Status::invalid_request("unknown command " + cmd);
    console_.line(console_.paint("! unknown command " + cmd + " (try /help)", Colour::kRed));
  }
  return true;
}

void Session::print_help() { console_.line(kHelp); }

void Session::send_text(const std::string& text) {
  if (!need_world()) return;
  const std::string id = client::new_client_message_id();
  renderer_.track_sent(id);
  // The note is printed by the answer's callback, on the io thread, so that it comes before the `processing`
  // status that the gateway sends after it.
  auto done = std::make_shared<std::promise<Status>>();
  auto result = done->get_future();
  Console* console = &console_;
  const bool quiet = json_;
  client_.request_async(client::make_message(world_, chat_, id, text, "human"),
                        [done, console, quiet, id](Result<client::ServerFrame> r) {
                          if (r && !quiet) {
                            std::string note = "[queued] " + id;
                            if (auto warning = r->payload_string("warning")) note += " (" + *warning + ")";
                            console->line(console->paint(note, Colour::kDim));
                          }
                          done->set_value(r ? Status::ok() : r.status());
                        });
  if (Status s = result.get(); !s) {
    last_ = s;
    console_.line(console_.paint("! message not queued: " + s.message(), Colour::kRed));
  }
}

bool Session::cancel_running() {
  const std::string id = renderer_.running_message();
  if (id.empty() || world_.empty()) return false;
  if (auto r = call(world_, "cancel-message", "{\"messageId\":" + quoted(id) + "}"); r && !json_) {
    console_.line(console_.paint("Cancel requested for " + id, Colour::kYellow));
  }
  return true;
}

void Session::use_chat(const std::string& chat_id) {
  chat_ = chat_id;
  renderer_.set_view(world_, chat_);
  if (!json_) console_.line("Using chat " + chat_id);
}

}  // namespace aw::cli
