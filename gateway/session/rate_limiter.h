// RateLimiter: the inbound token bucket of one connection (ws-protocol.md §3.4): refill `rate_per_second` tokens per
// second up to `burst`; a frame that finds no token is rejected with a retry delay; after `burst` consecutive
// rejections the connection is closed with 4029. A rate or burst of 0 disables the limiter.
// Time is passed in (steady clock), so tests need no sleeps.
// Thread-safety: a plain value owned by its session (loop thread).
#pragma once

#include <chrono>
#include <cstdint>

namespace aw::gateway {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Starts full.
  RateLimiter(std::int64_t rate_per_second, std::int64_t burst, Clock::time_point now);

  struct Decision {
    bool allowed = true;
    std::int64_t retry_after_ms = 0;  // when rejected: time until one token is available
    bool close = false;               // when rejected: `burst` consecutive rejections reached (close 4029)
  };

  // Takes one token for a frame. An allowed frame resets the run of consecutive rejections.
  Decision take(Clock::time_point now);

  bool enabled() const { return rate_per_second_ > 0 && burst_ > 0; }
  double tokens_for_test() const { return tokens_; }

 private:
  void refill(Clock::time_point now);

  const std::int64_t rate_per_second_;
  const std::int64_t burst_;
  double tokens_;
  Clock::time_point last_refill_;
  std::int64_t consecutive_rejections_ = 0;
};

}  // namespace aw::gateway
