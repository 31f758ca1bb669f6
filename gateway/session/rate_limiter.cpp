// RateLimiter (see rate_limiter.h).
#include "gateway/session/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace aw::gateway {

RateLimiter::RateLimiter(std::int64_t rate_per_second, std::int64_t burst, Clock::time_point now)
    : rate_per_second_(rate_per_second),
      burst_(burst),
      tokens_(static_cast<double>(std::max<std::int64_t>(burst, 0))),
      last_refill_(now) {}

void RateLimiter::refill(Clock::time_point now) {
  if (now <= last_refill_) return;
  const double elapsed_s = std::chrono::duration<double>(now - last_refill_).count();
  tokens_ = std::min(static_cast<double>(burst_), tokens_ + elapsed_s * static_cast<double>(rate_per_second_));
  last_refill_ = now;
}

RateLimiter::Decision RateLimiter::take(Clock::time_point now) {
  Decision d;
  if (!enabled()) return d;
  refill(now);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    consecutive_rejections_ = 0;
    return d;
  }
  d.allowed = false;
  const double missing = 1.0 - tokens_;
  d.retry_after_ms = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(std::ceil(missing * 1000.0 / static_cast<double>(rate_per_second_))));
  ++consecutive_rejections_;
  d.close = consecutive_rejections_ >= burst_;
  return d;
}

}  // namespace aw::gateway
