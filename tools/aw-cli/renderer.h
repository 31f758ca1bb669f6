// Renderer: turns the gateway's frames into aw-cli's live display: each agent's reply streams token by token under
// its name in the agent's colour, activity shows who is thinking, lifecycle statuses (queued, processing, retrying,
// completed, failed with the reason), crud and system notices, and errors. Events of chats other than the one
// being viewed are not shown. A reply that was streamed is not printed again when its final message event arrives.
// Thread-safety: the frame handlers run on the client's io thread; set_view and the message bookkeeping may be
// called from any thread (one mutex).
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "client/server_frame.h"
#include "tools/aw-cli/console.h"

namespace aw::cli {

class Renderer {
 public:
  explicit Renderer(Console& console) : console_(console) {}

  // The world and chat being viewed (chat nullopt = every chat of the world).
  void set_view(const std::string& world_id, const std::optional<std::string>& chat_id);
  std::pair<std::string, std::optional<std::string>> view() const;
  // A stored conversation message (a reload), shown as a live one would be.
  void show_stored(const std::string& sender, const std::string& content);
  // A message this client sent: its own echo is not printed, and its terminal status ends it.
  void track_sent(const std::string& message_id);
  // The most recent sent message that has not completed or failed; "" when none.
  std::string running_message() const;
  // Called with (messageId, "completed" | "failed") when a tracked message ends.
  void set_on_finished(std::function<void(const std::string&, const std::string&)> callback);

  // Frame handlers (io thread).
  void on_message(const client::ServerFrame& f);
  void on_sse(const client::ServerFrame& f);
  void on_world(const client::ServerFrame& f);
  void on_system(const client::ServerFrame& f);
  void on_status(const client::ServerFrame& f);
  void on_crud(const client::ServerFrame& f);
  void on_error(const client::ServerFrame& f);

 private:
  bool in_view(const client::ServerFrame& f) const;
  void print_message(const std::string& sender, const std::string& content);
  std::string agent_label(const std::string& agent_id) const;

  Console& console_;
  mutable std::mutex mutex_;  // guards the members below
  std::string world_id_;
  std::optional<std::string> chat_id_;
  std::set<std::string> sent_;      // messageIds this client sent
  std::string running_;             // latest sent message not yet finished
  std::set<std::string> streamed_;  // reply messageIds already shown through sse chunks
  std::function<void(const std::string&, const std::string&)> on_finished_;
};

}  // namespace aw::cli
