// Backoff (see backoff.h).
#include "client/backoff.h"

#include <algorithm>
#include <random>
#include <utility>

namespace aw::client {

// ±20 %: enough spread to break lockstep, small enough that the 1, 2, 4, 8, 16 s steps stay recognisable.
constexpr double kJitter = 0.2;

Backoff::Backoff(Millis initial, Millis cap, std::function<double()> unit_random)
    : initial_(initial), cap_(std::max(cap, initial)), unit_random_(std::move(unit_random)) {}

Backoff::Millis Backoff::next(Millis floor) {
  double base = static_cast<double>(initial_.count());
  for (int i = 0; i < failures_ && base < static_cast<double>(cap_.count()); ++i) base *= 2;
  base = std::min(base, static_cast<double>(cap_.count()));
  if (failures_ < 62) ++failures_;
  const double factor = 1.0 + kJitter * (2.0 * unit_random_() - 1.0);
  auto delay = Millis(static_cast<std::int64_t>(base * factor));
  return std::max({delay, floor, Millis(1)});
}

double default_unit_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace aw::client
