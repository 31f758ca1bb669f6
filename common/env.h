// Reading settings from the environment. Every setting is named, has a documented default, and a bad value is a
// start-up error with one clear line (never a silent fallback).
// Thread-safety: call at start-up, before threads start.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace aw {

// The variable's value, nullopt when unset. An empty value counts as unset.
std::optional<std::string> env_string(const char* name);

// An integer setting in [min, max]; the default when unset; an error naming the variable otherwise.
Result<std::int64_t> env_int(const char* name, std::int64_t default_value, std::int64_t min_value,
                             std::int64_t max_value);

// One integer setting of a settings struct: the variable, the field it fills (whose current value is the default)
// and its range.
struct IntSetting {
  const char* name;
  std::int64_t* target;
  std::int64_t min_value;
  std::int64_t max_value;
};

// Reads every setting with env_int, in order; the first bad one is the error (fields read before it are set).
Status read_int_settings(std::initializer_list<IntSetting> settings);

}  // namespace aw
