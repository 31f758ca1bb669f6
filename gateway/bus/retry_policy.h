// Retry scheduling of failed attempts (ws-protocol.md §7.2): delay = base x 2^(k-1), +-20 % jitter, capped at max;
// k = attempts failed so far within the item's retry budget.
// Thread-safety: pure functions (the random source belongs to the caller).
#pragma once

#include <cstdint>

#include "gateway/bus/bus_settings.h"
#include "gateway/bus/clock.h"

namespace aw::gateway::bus {

// The delay before the next attempt after the k-th failure (k >= 1).
std::int64_t retry_delay_ms(const BusSettings& settings, std::int64_t k, RandomSource& random);

// k for an item whose `attempt` just failed, given its `max_attempt` (the last attempt its budget allows).
std::int64_t failures_in_budget(const BusSettings& settings, std::int64_t attempt, std::int64_t max_attempt);

}  // namespace aw::gateway::bus
