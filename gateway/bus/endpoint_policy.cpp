// Bus endpoints and their policy (see endpoint_policy.h).
#include "gateway/bus/endpoint_policy.h"

#include <cstdlib>

#include "common/env.h"

namespace aw::gateway::bus {
namespace {

// The environment value, or the default when unset; `allow_empty` keeps a set-but-empty value (tap/admin = off).
std::string read_endpoint(const char* name, const std::string& fallback, bool allow_empty) {
  const char* raw = std::getenv(name);
  if (raw == nullptr) return fallback;
  if (raw[0] == '\0') return allow_empty ? std::string() : fallback;
  return raw;
}

}  // namespace

Result<BusEndpoints> load_bus_endpoints() {
  BusEndpoints e;
  e.work = read_endpoint("AW_BUS_WORK", e.work, false);
  e.events = read_endpoint("AW_BUS_EVENTS", e.events, false);
  e.ctl = read_endpoint("AW_BUS_CTL", e.ctl, false);
  e.tap = read_endpoint("AW_TAP_BIND", e.tap, true);
  e.admin = read_endpoint("AW_ADMIN_BIND", e.admin, true);
  auto insecure = env_int("AW_BUS_INSECURE", 0, 0, 1);
  if (!insecure) return Status::error("invalid_config", insecure.status().message());
  e.insecure = insecure.value() == 1;
  auto curve = curve_settings_from_env();
  if (!curve) return curve.status();
  e.curve = std::move(curve).value();
  if (e.curve) e.warnings.insert(e.warnings.end(), e.curve->warnings.begin(), e.curve->warnings.end());
  const std::pair<const char*, const std::string*> all[] = {{"AW_BUS_WORK", &e.work},
                                                            {"AW_BUS_EVENTS", &e.events},
                                                            {"AW_BUS_CTL", &e.ctl},
                                                            {"AW_TAP_BIND", &e.tap},
                                                            {"AW_ADMIN_BIND", &e.admin}};
  for (const auto& [name, value] : all) {
    // CURVE authenticates and encrypts every socket: any address is allowed (§11).
    if (value->empty() || is_local_endpoint(*value) || e.curve) continue;
    if (!e.insecure) {
      return Status::error("insecure_endpoint", std::string(name) + "=" + *value +
                                                    " is not a loopback endpoint: set AW_BUS_INSECURE=1 (private "
                                                    "networks only) or use CURVE");
    }
    e.warnings.push_back(std::string("AW_BUS_INSECURE=1: ") + name + "=" + *value +
                         " accepts unauthenticated, unencrypted bus peers");
  }
  return e;
}

}  // namespace aw::gateway::bus
