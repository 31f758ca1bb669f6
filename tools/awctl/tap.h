// awctl tap: subscribes to the gateway's tap (bus-protocol.md §10: XPUB of [<frame type>.<worldId>, frame JSON])
// and prints each frame as one JSON line. With a world, only that world's frames (topics are prefix-matched by
// ZeroMQ, so the world is checked exactly here too). Ends on SIGINT/SIGTERM, after `count` frames, or after
// `duration` (both optional).
// Thread-safety: one thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/bus/curve_keys.h"

namespace aw::ctl {

struct TapOptions {
  std::string endpoint;
  std::string world;  // "" = every world
  std::optional<long long> count;
  std::optional<std::chrono::milliseconds> duration;
  bool with_topic = false;                    // prefix each line with its topic and a tab
  std::optional<bus::CurveClientKeys> curve;  // CURVE client when set (the gateway runs CURVE)
};

// Returns the process exit status (0, or 2 when the endpoint cannot be used).
int run_tap(const TapOptions& options);

}  // namespace aw::ctl
