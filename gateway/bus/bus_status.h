// BusStatusView: what /metrics, /health and /readyz read of the bus (connected processors, drop and gap counters).
// Kept apart from the bus wiring so that the HTTP layer does not include ZeroMQ.
// Thread-safety: loop thread only.
#pragma once

#include <cstdint>

#include "gateway/bus/bus_output.h"

namespace aw::gateway::bus {

class BusStatusView {
 public:
  virtual ~BusStatusView() = default;
  virtual std::int64_t processors_connected() const = 0;
  virtual const BusCounters& counters() const = 0;
};

}  // namespace aw::gateway::bus
