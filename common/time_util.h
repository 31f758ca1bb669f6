// Clocks and time formats. Wall time is epoch milliseconds; payload dates are ISO-8601 UTC with milliseconds.
// Thread-safety: free functions, safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aw {

using EpochMs = std::int64_t;

// Milliseconds since the Unix epoch (system clock).
EpochMs now_ms();

// 2025-11-02T12:00:00.000Z
std::string iso8601_ms(EpochMs ms);

// Parses the format iso8601_ms writes; nullopt otherwise.
std::optional<EpochMs> parse_iso8601_ms(std::string_view text);

// "HH:MM:SS" of the UTC time of day.
std::string utc_hms(EpochMs ms);

}  // namespace aw
