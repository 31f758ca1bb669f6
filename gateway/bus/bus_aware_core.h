// BusAwareCore: the GatewayCore the WebSocket layer talks to when the bus runs. It forwards every call to the
// SQLite core and tells the bus what changed: a durable new message pumps the dispatcher at once (event-driven
// dispatch), cancel-message / delete-chat / delete-world propagate to the processor holding the run
// (RunCanceller), retry-failed pumps; command crud frames and statuses are copied to the tap (the session layer
// delivers them to clients itself).
// Thread-safety: loop thread only, like the contract.
#pragma once

#include "gateway/bus/bus_hub.h"
#include "gateway/bus/socket_bus_output.h"
#include "gateway/core/gateway_core.h"

namespace aw::gateway::bus {

class BusAwareCore final : public GatewayCore {
 public:
  BusAwareCore(GatewayCore& inner, BusHub& hub, SocketBusOutput& output) : inner_(inner), hub_(hub), output_(output) {}

  CommandResult run_command(std::string_view command, const json::Value& params,
                            const std::optional<std::string>& world_id, const Principal& principal) override;
  EnqueueResult enqueue(const EnqueueRequest& request) override;
  void watch_durability(std::function<void(std::function<void()>)> post,
                        std::function<void(DurabilityTicket synced, bool ok)> on_durable) override {
    inner_.watch_durability(std::move(post), std::move(on_durable));
  }
  DurabilityStats durability_stats() const override { return inner_.durability_stats(); }
  void flush_durability() override { inner_.flush_durability(); }
  SubscribeSnapshot subscribe(const SubscribeRequest& request) override { return inner_.subscribe(request); }
  Result<PersistedFrame> append_event(const std::string& world_id, const std::optional<std::string>& chat_id,
                                      std::string_view event_type, std::string_view payload_json,
                                      const std::optional<std::string>& run_id, std::optional<std::int64_t> attempt,
                                      const std::optional<std::string>& message_id) override {
    return inner_.append_event(world_id, chat_id, event_type, payload_json, run_id, attempt, message_id);
  }
  bool is_ready() const override { return inner_.is_ready(); }
  std::int64_t world_count() override { return inner_.world_count(); }
  std::vector<std::pair<std::string, std::int64_t>> queue_counts() override { return inner_.queue_counts(); }
  // The core's own counts plus the frames the bus persisted (processor events, trigger messages).
  std::vector<std::pair<std::string, std::int64_t>> persisted_event_counts() const override;

 private:
  GatewayCore& inner_;
  BusHub& hub_;
  SocketBusOutput& output_;
};

}  // namespace aw::gateway::bus
