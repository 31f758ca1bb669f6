// SoakSettings: the knobs of the soak test (issue #7), read from the environment once at the start of the test.
// Every value is bounded; a bad one fails the test with a line naming the variable (common/env.h).
// Thread-safety: a plain value.
#pragma once

#include <chrono>
#include <cstdint>

#include "common/status.h"

namespace aw::test {

struct SoakSettings {
  // SOAK_SECONDS (default 90, 5..3600): length of the measured phase. The whole test takes about this plus the
  // warm-up plus ~20 s of start-up and drains, so the default stays under 3 minutes.
  std::chrono::seconds duration{90};
  // SOAK_WARMUP_SECONDS (default 20, 5..600): the same load before the first memory sample, so that caches, pools
  // and allocator arenas have reached their working size before "flat" is judged.
  std::chrono::seconds warmup{20};
  // SOAK_CONNECTIONS (default 200, 20..5000): concurrent load connections (70 % subscribers, 15 % senders, 15 %
  // abusers). AW_MAX_CONNECTIONS (default 10000) permits them.
  int connections = 200;
  // SOAK_THREADS (default 4, 1..64): client threads that step the connections.
  int threads = 4;
  // SOAK_WORLDS (default 12, 3..200): worlds the load spreads over (one agent each).
  int worlds = 12;
  // SOAK_SEED (default: from the clock): seeds every connection's random choices; printed in the summary so that
  // a failing run's load shape can be repeated.
  std::uint32_t seed = 0;

  static Result<SoakSettings> from_env();
};

}  // namespace aw::test
