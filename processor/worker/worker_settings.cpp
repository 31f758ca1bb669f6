#include "processor/worker/worker_settings.h"

#include "common/env.h"

namespace aw::processor::worker {
namespace {

Status config_error(std::string message) { return Status::error("config", std::move(message)); }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// The host of a tcp:// endpoint: "[::1]" keeps its brackets; the port (after the last ':') is cut.
std::string_view tcp_host(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    const auto close = address.find(']');
    return close == std::string_view::npos ? address : address.substr(0, close + 1);
  }
  const auto colon = address.rfind(':');
  return colon == std::string_view::npos ? address : address.substr(0, colon);
}

// 127.x.y.z with four numeric parts.
bool is_ipv4_loopback(std::string_view host) {
  if (!starts_with(host, "127.")) return false;
  int dots = 0;
  bool digit_seen = false;
  for (char c : host) {
    if (c == '.') {
      if (!digit_seen) return false;
      ++dots;
      digit_seen = false;
    } else if (c >= '0' && c <= '9') {
      digit_seen = true;
    } else {
      return false;
    }
  }
  return dots == 3 && digit_seen;
}

Status read_endpoint(const char* name, std::string& out, bool insecure) {
  if (auto value = env_string(name)) out = *value;
  if (!starts_with(out, "tcp://") && !starts_with(out, "ipc://") && !starts_with(out, "inproc://")) {
    return config_error(std::string(name) + " must be a tcp://, ipc:// or inproc:// endpoint: " + out);
  }
  if (!insecure && !is_local_endpoint(out)) {
    return config_error(std::string(name) + "=" + out +
                        " is not a loopback address; set AW_BUS_INSECURE=1 (private networks only) to connect "
                        "there without CURVE");
  }
  return Status::ok();
}

}  // namespace

bool is_local_endpoint(std::string_view endpoint) {
  if (starts_with(endpoint, "ipc://") || starts_with(endpoint, "inproc://")) return true;
  if (!starts_with(endpoint, "tcp://")) return false;
  const std::string_view host = tcp_host(endpoint.substr(6));
  return host == "localhost" || host == "[::1]" || is_ipv4_loopback(host);
}

Result<WorkerSettings> worker_settings_from_env() {
  WorkerSettings settings;
  if (env_string("AW_BUS_CURVE_SECRET_KEY")) {
    return config_error(
        "AW_BUS_CURVE_SECRET_KEY is set, but CURVE not supported yet by aw-processor; unset it and "
        "use loopback endpoints or AW_BUS_INSECURE=1 on a private network");
  }
  const auto insecure = env_string("AW_BUS_INSECURE");
  if (insecure && *insecure != "0" && *insecure != "1") return config_error("AW_BUS_INSECURE must be 0 or 1");
  settings.insecure = insecure && *insecure == "1";
  if (auto s = read_endpoint("AW_BUS_WORK", settings.work_endpoint, settings.insecure); !s) return s;
  if (auto s = read_endpoint("AW_BUS_EVENTS", settings.events_endpoint, settings.insecure); !s) return s;
  if (auto s = read_endpoint("AW_BUS_CTL", settings.ctl_endpoint, settings.insecure); !s) return s;
  auto slots = env_int("WS_MAX_CONCURRENT", kDefaultMaxConcurrent, 1, 1000);
  if (!slots) return config_error(slots.status().message());
  settings.max_concurrent = slots.value();
  auto grace = env_int("AW_SHUTDOWN_GRACE_MS", kDefaultShutdownGraceMs, 0, 3600000);
  if (!grace) return config_error(grace.status().message());
  settings.shutdown_grace_ms = grace.value();
  return settings;
}

}  // namespace aw::processor::worker
