// Clock and RandomSource: the time and the randomness the bus logic reads, as interfaces so that tests control
// lease expiry, dispatch timeouts and retry jitter (the fakes live with the tests).
// Thread-safety: SystemClock is safe from any thread; a SystemRandom belongs to one thread (the loop).
#pragma once

#include <random>

#include "common/time_util.h"

namespace aw::gateway::bus {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual EpochMs now_ms() = 0;
};

class SystemClock final : public Clock {
 public:
  EpochMs now_ms() override { return aw::now_ms(); }
};

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // A number in [0, 1).
  virtual double next_unit() = 0;
};

class SystemRandom final : public RandomSource {
 public:
  SystemRandom() : engine_(std::random_device{}()) {}
  double next_unit() override { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace aw::gateway::bus
