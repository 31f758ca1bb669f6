// FakeCore: a GatewayCore whose answers the test sets, and which records what it was asked. Used by the
// GatewayService tests, which are about the WebSocket layer, not storage.
// Thread-safety: test thread only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/core/gateway_core.h"

namespace aw::gateway::test {

class FakeCore : public GatewayCore {
 public:
  struct CommandCall {
    std::string command;
    std::string params_json;
    std::optional<std::string> world_id;
  };

  // GatewayCore
  CommandResult run_command(std::string_view command, const json::Value& params,
                            const std::optional<std::string>& world_id, const Principal& /*principal*/) override {
    commands.push_back(CommandCall{std::string(command), json::to_string(params).value_or(""), world_id});
    if (on_command) return on_command(commands.back());
    CommandResult r;
    r.message = "ok";
    r.data_json = "[]";
    return r;
  }
  EnqueueResult enqueue(const EnqueueRequest& request) override {
    enqueued.push_back(request);
    return next_enqueue;
  }
  SubscribeSnapshot subscribe(const SubscribeRequest& request) override {
    subscribes.push_back(request);
    return next_snapshot;
  }
  Result<PersistedFrame> append_event(const std::string& world_id, const std::optional<std::string>& chat_id,
                                      std::string_view /*event_type*/, std::string_view /*payload_json*/,
                                      const std::optional<std::string>& /*run_id*/,
                                      std::optional<std::int64_t> /*attempt*/,
                                      const std::optional<std::string>& /*message_id*/) override {
    return PersistedFrame{world_id, chat_id, ++appended_seq, std::make_shared<const std::string>("{}")};
  }
  bool is_ready() const override { return ready; }
  std::int64_t world_count() override { return 0; }
  std::vector<std::pair<std::string, std::int64_t>> queue_counts() override { return {{"pending", 2}}; }
  std::vector<std::pair<std::string, std::int64_t>> persisted_event_counts() const override { return {{"crud", 3}}; }
  DurabilityStats durability_stats() const override { return durability; }

  std::function<CommandResult(const CommandCall&)> on_command;
  EnqueueResult next_enqueue;
  SubscribeSnapshot next_snapshot;
  DurabilityStats durability;
  bool ready = true;
  Seq appended_seq = 0;
  std::vector<CommandCall> commands;
  std::vector<EnqueueRequest> enqueued;
  std::vector<SubscribeRequest> subscribes;
};

// A persisted frame as the core would encode it.
inline PersistedFrame make_event(const std::string& world, std::optional<std::string> chat, Seq seq,
                                 bool historical = false) {
  std::string text = "{\"type\":\"event\",\"worldId\":\"" + world + "\"";
  if (chat) text += ",\"chatId\":\"" + *chat + "\"";
  text += ",\"seq\":" + std::to_string(seq) + ",\"eventType\":\"message\",\"payload\":{}";
  if (historical) text += ",\"historical\":true";
  text += ",\"timestamp\":1}";
  return PersistedFrame{world, std::move(chat), seq, std::make_shared<const std::string>(std::move(text))};
}

inline StatusBroadcast make_status(const std::string& world, const std::string& message_id, const std::string& status) {
  std::string text = "{\"type\":\"status\",\"worldId\":\"" + world + "\",\"messageId\":\"" + message_id +
                     "\",\"payload\":{\"status\":\"" + status + "\"},\"timestamp\":1}";
  return StatusBroadcast{world, message_id, std::make_shared<const std::string>(std::move(text))};
}

}  // namespace aw::gateway::test
