// Reading settings from the environment. Every setting is named, has a documented default, and a bad value is a
// start-up error with one clear line (never a silent fallback).
// Thread-safety: call at start-up, before threads start.
#pragma once

#include <cstdint>
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

}  // namespace aw
