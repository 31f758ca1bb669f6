#include "processor/worker/worker_settings.h"

#include "common/env.h"

namespace aw::processor::worker {
namespace {

Status config_error(std::string message) { return Status::error("config", std::move(message)); }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

Status read_endpoint(const char* name, std::string& out, bool any_host) {
  if (auto value = env_string(name)) out = *value;
  if (!starts_with(out, "tcp://") && !starts_with(out, "ipc://") && !starts_with(out, "inproc://")) {
    return config_error(std::string(name) + " must be a tcp://, ipc:// or inproc:// endpoint: " + out);
  }
  if (!any_host && !is_local_endpoint(out)) {
    return config_error(std::string(name) + "=" + out +
                        " is not a loopback address; use CURVE (AW_BUS_CURVE_SECRET_KEY and AW_BUS_CURVE_SERVER_KEY) "
                        "or set AW_BUS_INSECURE=1 (private networks only)");
  }
  return Status::ok();
}

}  // namespace

Result<WorkerSettings> worker_settings_from_env() {
  WorkerSettings settings;
  auto curve = aw::bus::curve_client_keys_from_env();
  if (!curve) return config_error(curve.status().message());
  settings.curve = std::move(curve).value();
  const auto insecure = env_string("AW_BUS_INSECURE");
  if (insecure && *insecure != "0" && *insecure != "1") return config_error("AW_BUS_INSECURE must be 0 or 1");
  settings.insecure = insecure && *insecure == "1";
  // CURVE authenticates the gateway and encrypts the traffic: any address is allowed then (§11).
  const bool any_host = settings.insecure || settings.curve.has_value();
  if (auto s = read_endpoint("AW_BUS_WORK", settings.work_endpoint, any_host); !s) return s;
  if (auto s = read_endpoint("AW_BUS_EVENTS", settings.events_endpoint, any_host); !s) return s;
  if (auto s = read_endpoint("AW_BUS_CTL", settings.ctl_endpoint, any_host); !s) return s;
  auto slots = env_int("WS_MAX_CONCURRENT", kDefaultMaxConcurrent, 1, 1000);
  if (!slots) return config_error(slots.status().message());
  settings.max_concurrent = slots.value();
  auto grace = env_int("AW_SHUTDOWN_GRACE_MS", kDefaultShutdownGraceMs, 0, 3600000);
  if (!grace) return config_error(grace.status().message());
  settings.shutdown_grace_ms = grace.value();
  return settings;
}

}  // namespace aw::processor::worker
