// ProviderSettings::from_env (see provider_settings.h).
#include "processor/providers/provider_settings.h"

#include "common/env.h"
#include "processor/providers/provider_registry.h"

namespace aw::processor::providers {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::string trim_base_url(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

std::optional<std::string> ProviderSettings::variable(std::string_view name) const {
  auto it = variables.find(name);
  if (it == variables.end()) return std::nullopt;
  return it->second;
}

Result<ProviderSettings> ProviderSettings::from_env() {
  ProviderSettings settings;
  auto timeout = env_int("AW_LLM_TIMEOUT_MS", 120000, 1, 24LL * 3600 * 1000);
  if (!timeout.is_ok()) return timeout.status();
  auto retries = env_int("AW_LLM_MAX_RETRIES", 2, 0, 10);
  if (!retries.is_ok()) return retries.status();
  auto retry_base = env_int("AW_LLM_RETRY_BASE_MS", 1000, 0, 60000);
  if (!retry_base.is_ok()) return retry_base.status();
  auto concurrency = env_int("AW_LLM_CONCURRENCY", 4, 1, 1000);
  if (!concurrency.is_ok()) return concurrency.status();
  auto queue_max = env_int("AW_LLM_QUEUE_MAX", 100, 0, 1000000);
  if (!queue_max.is_ok()) return queue_max.status();
  auto http_threads = env_int("AW_HTTP_THREADS", 2, 1, 64);
  if (!http_threads.is_ok()) return http_threads.status();
  auto drain = env_int("AW_LLM_DRAIN_MS", 50, 0, 60000);
  if (!drain.is_ok()) return drain.status();
  settings.request_timeout = std::chrono::milliseconds(timeout.value());
  settings.retry.max_retries = static_cast<int>(retries.value());
  settings.retry.base_delay = std::chrono::milliseconds(retry_base.value());
  settings.concurrency = static_cast<int>(concurrency.value());
  settings.queue_max = static_cast<int>(queue_max.value());
  settings.http_threads = static_cast<int>(http_threads.value());
  settings.drain_grace = std::chrono::milliseconds(drain.value());

  for (const ProviderRegistration& r : provider_registrations()) {
    for (const std::string& name : r.variables) {
      auto value = env_string(name.c_str());
      if (!value) continue;
      if (ends_with(name, "_BASE_URL") && !starts_with(*value, "http://") && !starts_with(*value, "https://")) {
        return Status::invalid_request(name + " must be an http:// or https:// URL, got '" + *value + "'");
      }
      settings.variables[name] = std::move(*value);
    }
  }
  return settings;
}

}  // namespace aw::processor::providers
