// SoakSettings (see soak_settings.h).
#include "tests/soak/soak_settings.h"

#include "common/env.h"

namespace aw::test {

Result<SoakSettings> SoakSettings::from_env() {
  SoakSettings s;
  auto duration = env_int("SOAK_SECONDS", 90, 5, 3600);
  if (!duration) return duration.status();
  auto warmup = env_int("SOAK_WARMUP_SECONDS", 20, 5, 600);
  if (!warmup) return warmup.status();
  auto connections = env_int("SOAK_CONNECTIONS", 200, 20, 5000);
  if (!connections) return connections.status();
  auto threads = env_int("SOAK_THREADS", 4, 1, 64);
  if (!threads) return threads.status();
  auto worlds = env_int("SOAK_WORLDS", 12, 3, 200);
  if (!worlds) return worlds.status();
  const auto clock_seed = static_cast<std::int64_t>(std::chrono::steady_clock::now().time_since_epoch().count() &
                                                    static_cast<std::int64_t>(0x7fffffff));
  auto seed = env_int("SOAK_SEED", clock_seed, 0, 0xffffffffLL);
  if (!seed) return seed.status();
  s.duration = std::chrono::seconds(*duration);
  s.warmup = std::chrono::seconds(*warmup);
  s.connections = static_cast<int>(*connections);
  s.threads = static_cast<int>(*threads);
  s.worlds = static_cast<int>(*worlds);
  s.seed = static_cast<std::uint32_t>(*seed);
  return s;
}

}  // namespace aw::test
