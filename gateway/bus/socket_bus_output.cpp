// The running gateway's BusOutput (see socket_bus_output.h).
#include "gateway/bus/socket_bus_output.h"

namespace aw::gateway::bus {

std::string tap_topic(const std::string& frame_json, const std::string& world_id) {
  // Every client frame the gateway encodes starts with {"type":"<type>" (JsonBuilder, fixed field order).
  constexpr std::string_view kPrefix = R"({"type":")";
  if (frame_json.compare(0, kPrefix.size(), kPrefix) == 0) {
    const auto end = frame_json.find('"', kPrefix.size());
    if (end != std::string::npos) return frame_json.substr(kPrefix.size(), end - kPrefix.size()) + "." + world_id;
  }
  return "frame." + world_id;
}

void SocketBusOutput::tap_status(const StatusBroadcast& status) {
  if (!node_.tap_enabled() || !status.json) return;
  node_.publish_tap(tap_topic(*status.json, status.world_id), *status.json);
}

void SocketBusOutput::tap_event(const PersistedFrame& frame) {
  if (!node_.tap_enabled() || !frame.live_json) return;
  node_.publish_tap(tap_topic(*frame.live_json, frame.world_id), *frame.live_json);
}

void SocketBusOutput::broadcast_status(StatusBroadcast&& status) {
  if (delivery_.status) delivery_.status(status);
  tap_status(status);
}

void SocketBusOutput::broadcast_event(PersistedFrame&& frame) {
  if (delivery_.event) delivery_.event(frame);
  tap_event(frame);
}

}  // namespace aw::gateway::bus
