// The /metrics body (ws-protocol.md §1): Prometheus text exposition format 0.0.4 of the required metrics (and a few
// optional ones). What does not exist yet in this build (processors, runs, the bus) is reported as 0 or as a
// metric family without samples, so dashboards and alerts can be written against the final names.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gateway/bus/bus_output.h"
#include "gateway/session/ws_counters.h"

namespace aw::gateway {

struct MetricsInputs {
  const WsCounters* ws = nullptr;
  std::vector<std::pair<std::string, std::int64_t>> queue_items;       // state -> items (GatewayCore::queue_counts)
  std::vector<std::pair<std::string, std::int64_t>> events_persisted;  // event type -> count since start
  std::int64_t processors_connected = 0;
  std::int64_t bus_gaps = 0;
  const bus::BusCounters* bus = nullptr;  // drops by reason and gaps; nullptr = all 0
  // The WAL syncs behind `queued` acks (GatewayCore::durability_stats).
  std::int64_t wal_syncs = 0;
  std::int64_t wal_sync_failures = 0;
  double wal_sync_seconds = 0;
  double uptime_seconds = 0;
};

std::string render_metrics(const MetricsInputs& inputs);

}  // namespace aw::gateway
