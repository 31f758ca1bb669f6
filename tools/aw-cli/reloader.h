// Reloader: aw-cli's answer to `recovered:false` (ws-protocol.md §4.3: events were missed and cannot be replayed).
// It reloads the world with commands — get-world (the world with its agents and chats), then the newest messages of
// the chat in view with get-chat-messages — and redraws them, so that the screen matches the gateway again.
// It runs on the client's io thread with asynchronous commands (a handler may not wait on its client); a reload
// already running for a world absorbs another request for it (a resubscribe answer and a replay-complete can both
// ask). Setting: AW_CLI_RELOAD_MESSAGES, the number of messages redrawn, default 20 (1..500, the command's limit).
// Thread-safety: every member function may be called from any thread (one mutex); output goes through the Console.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <set>
#include <string>

#include "client/client.h"
#include "tools/aw-cli/console.h"
#include "tools/aw-cli/renderer.h"

namespace aw::cli {

class Reloader {
 public:
  static constexpr std::size_t kDefaultMessages = 20;

  Reloader(Console& console, Renderer& renderer, std::size_t message_limit);
  // The client that runs the commands (it is built after its handlers, which hold this Reloader).
  void set_client(client::Client* client) { client_ = client; }

  // Starts reloading `world_id` unless a reload of it is running.
  void reload(const std::string& world_id);
  // Reloads finished so far (tests and logs).
  std::size_t completed() const { return completed_.load(); }

 private:
  void show_world(const std::string& world_id, const client::ServerFrame& answer);
  void show_messages(const std::string& world_id, const client::ServerFrame& answer);
  void finish(const std::string& world_id, const Status& status);

  Console& console_;
  Renderer& renderer_;
  const std::size_t message_limit_;
  std::atomic<client::Client*> client_{nullptr};
  std::atomic<std::size_t> completed_{0};
  std::mutex mutex_;  // guards running_
  std::set<std::string> running_;
};

}  // namespace aw::cli
