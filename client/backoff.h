// Backoff: reconnect delays after a retryable close (ws-protocol.md §3.5): initial × 2^k, capped, each with ±20 %
// jitter so that many clients of one restarted gateway do not reconnect in lockstep. No attempt limit.
// Thread-safety: none; owned by the client's io thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace aw::client {

class Backoff {
 public:
  using Millis = std::chrono::milliseconds;
  // `unit_random` returns a value in [0, 1); tests pass a fixed one.
  Backoff(Millis initial, Millis cap, std::function<double()> unit_random);

  // The delay before the next attempt, never below `floor` (4029 asks for at least 5 s); advances the exponent.
  Millis next(Millis floor = Millis(0));
  // After a successful open: the next delay starts at `initial` again.
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  const Millis initial_;
  const Millis cap_;
  std::function<double()> unit_random_;
  int failures_ = 0;
};

// A unit random source for production use (a thread-local mt19937 seeded from random_device).
double default_unit_random();

}  // namespace aw::client
