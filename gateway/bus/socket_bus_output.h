// SocketBusOutput: the BusOutput of the running gateway. Work goes out on the PUSH socket and ctl messages on the
// ctl PUB socket (both BusNode's, loop-owned); statuses and events go to the WebSocket fan-out (callbacks into the
// session layer) and then to the tap as [<frame type>.<worldId>, <the client frame's JSON>] (bus-protocol.md §10).
// Thread-safety: loop thread only.
#pragma once

#include <functional>
#include <string>

#include "gateway/bus/bus_node.h"
#include "gateway/bus/bus_output.h"

namespace aw::gateway::bus {

// The tap topic of a client frame: its "type" value, ".", the world id (e.g. "event.my-world"); "frame.<world>"
// when the frame has no leading "type" field.
std::string tap_topic(const std::string& frame_json, const std::string& world_id);

class SocketBusOutput final : public BusOutput {
 public:
  struct Delivery {
    std::function<void(const StatusBroadcast&)> status;  // GatewayService::deliver_status
    std::function<void(const PersistedFrame&)> event;    // GatewayService::deliver_persisted
  };
  SocketBusOutput(BusNode& node, Delivery delivery) : node_(node), delivery_(std::move(delivery)) {}

  bool push_work(aw::bus::Frame&& frame) override { return node_.push_work(frame); }
  void publish_ctl(aw::bus::Frame&& frame) override { node_.publish_ctl(frame); }
  void broadcast_status(StatusBroadcast&& status) override;
  void broadcast_event(PersistedFrame&& frame) override;

  // Tap only: frames the session layer delivers itself (command crud frames and statuses).
  void tap_status(const StatusBroadcast& status);
  void tap_event(const PersistedFrame& frame);

 private:
  BusNode& node_;
  Delivery delivery_;
};

}  // namespace aw::gateway::bus
