// Session: aw-cli's state (the world and chat being used) and its slash commands, shared by the interactive loop
// and `aw-cli -c`. Each command is a request to the gateway through the client library; results are printed on
// the console (or, with --json, only the frames are printed, by the frame handler).
// Thread-safety: the main thread calls run_line/select_world; the Renderer reads the view under its own lock.
#pragma once

#include <optional>
#include <string>

#include "client/client.h"
#include "tools/aw-cli/console.h"
#include "tools/aw-cli/renderer.h"

namespace aw::cli {

class Session {
 public:
  Session(client::Client& client, Console& console, Renderer& renderer, bool json_output);

  // Switches to `world_id` (and `chat_id`, else the world's current chat): subscribes to the world, unsubscribes
  // the previous one. Fails when the world does not exist.
  Status select_world(const std::string& world_id, const std::optional<std::string>& chat_id);
  // Lists the worlds and asks the user to pick one by number or id (interactive start without a WORLD argument).
  // `read_answer` returns the user's line, nullopt on end of input.
  Status pick_world(const std::function<std::optional<std::string>()>& read_answer);

  // One input line: a slash command or a message. Returns false for /quit. Failures are printed, not returned.
  bool run_line(const std::string& line);
  // Ctrl-C: cancels the running message, if any. Returns false when nothing was running.
  bool cancel_running();
  // The status of the last command run by run_line (for `aw-cli -c` exit codes).
  const Status& last_status() const { return last_; }

  const std::string& world() const { return world_; }
  const std::optional<std::string>& chat() const { return chat_; }

 private:
  // Runs a command and waits for its answer; prints the error (and records it) on failure.
  std::optional<client::ServerFrame> call(const std::string& world_id, const std::string& name,
                                          const std::string& params_json);
  bool need_world();
  void print_help();
  void send_text(const std::string& text);
  void show_world();
  void list_worlds();
  void list_agents();
  void show_agent(const std::string& id);
  void create_agent(const std::string& args);
  void list_chats();
  void export_world(const std::string& file);
  void show_queue();
  void use_chat(const std::string& chat_id);

  client::Client& client_;
  Console& console_;
  Renderer& renderer_;
  const bool json_;
  std::string world_;
  std::optional<std::string> chat_;
  Status last_;
};

}  // namespace aw::cli
