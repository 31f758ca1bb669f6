// Retry delays (see retry_policy.h).
#include "gateway/bus/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace aw::gateway::bus {

std::int64_t retry_delay_ms(const BusSettings& settings, std::int64_t k, RandomSource& random) {
  // 2^(k-1) saturates long before int64 would overflow: past 2^40 the cap applies anyway.
  const double exponent = static_cast<double>(std::clamp<std::int64_t>(k - 1, 0, 40));
  const double base = static_cast<double>(settings.retry_base_ms) * std::pow(2.0, exponent);
  const double jitter = 0.8 + 0.4 * random.next_unit();  // [0.8, 1.2)
  const double delay = std::min(base * jitter, static_cast<double>(settings.retry_max_ms));
  return static_cast<std::int64_t>(std::llround(delay));
}

std::int64_t failures_in_budget(const BusSettings& settings, std::int64_t attempt, std::int64_t max_attempt) {
  // The budget covers attempts max_attempt - max_retries .. max_attempt (enqueue, or retry-failed, set it).
  const std::int64_t first = max_attempt - settings.max_retries;
  return std::max<std::int64_t>(1, attempt - first + 1);
}

}  // namespace aw::gateway::bus
