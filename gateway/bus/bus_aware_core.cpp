// The core as the WebSocket layer sees it when the bus runs (see bus_aware_core.h).
#include "gateway/bus/bus_aware_core.h"

#include <map>

namespace aw::gateway::bus {

CommandResult BusAwareCore::run_command(std::string_view command, const json::Value& params,
                                        const std::optional<std::string>& world_id, const Principal& principal) {
  CommandResult result = inner_.run_command(command, params, world_id, principal);
  for (const PersistedFrame& frame : result.broadcasts) output_.tap_event(frame);
  for (const StatusBroadcast& status : result.statuses) output_.tap_status(status);
  hub_.after_command(command, params, world_id, result);
  return result;
}

EnqueueResult BusAwareCore::enqueue(const EnqueueRequest& request) {
  EnqueueResult result = inner_.enqueue(request);
  if (result.status && !result.duplicate) hub_.on_enqueued();
  return result;
}

std::vector<std::pair<std::string, std::int64_t>> BusAwareCore::persisted_event_counts() const {
  std::map<std::string, std::int64_t> merged(hub_.counters().persisted_events);
  for (const auto& [type, count] : inner_.persisted_event_counts()) merged[type] += count;
  return {merged.begin(), merged.end()};
}

}  // namespace aw::gateway::bus
