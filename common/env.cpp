// Environment settings (see env.h).
#include "common/env.h"

#include <cerrno>
#include <cstdlib>

namespace aw {

std::optional<std::string> env_string(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

Result<std::int64_t> env_int(const char* name, std::int64_t default_value, std::int64_t min_value,
                             std::int64_t max_value) {
  auto text = env_string(name);
  if (!text) return default_value;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text->c_str(), &end, 10);
  if (errno != 0 || end == text->c_str() || *end != '\0' || v < min_value || v > max_value) {
    return Status::invalid_request(std::string(name) + " must be an integer in [" + std::to_string(min_value) + ", " +
                                   std::to_string(max_value) + "], got '" + *text + "'");
  }
  return static_cast<std::int64_t>(v);
}

Status read_int_settings(std::initializer_list<IntSetting> settings) {
  for (const IntSetting& setting : settings) {
    auto value = env_int(setting.name, *setting.target, setting.min_value, setting.max_value);
    if (!value) return value.status();
    *setting.target = value.value();
  }
  return Status::ok();
}

}  // namespace aw
