// When to retry an LLM request and how long to wait first (agent-runtime.md §7.4): connection failures and the
// transient HTTP statuses are retried up to AW_LLM_MAX_RETRIES times, only before the first text delta, after
// AW_LLM_RETRY_BASE_MS × 2^(n−1) ±20 % jitter, or after the server's Retry-After when it sent one.
// Thread-safety: plain values and free functions.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace aw::processor::providers {

struct RetryPolicy {
  int max_retries = 2;                         // AW_LLM_MAX_RETRIES: retries after the first try
  std::chrono::milliseconds base_delay{1000};  // AW_LLM_RETRY_BASE_MS: the first backoff
};

// No wait is longer than this: the spec's cap for Retry-After, applied to the backoff too [ours], so a large
// AW_LLM_MAX_RETRIES cannot park a run for minutes.
inline constexpr std::chrono::milliseconds kMaxRetryDelay{30000};

// The backoff before retry number `retry` (1-based): base × 2^(retry−1) × (1 + 0.2 × jitter), capped at
// kMaxRetryDelay. Requires: retry ≥ 1, jitter in [−1, 1] (the caller's random source, so tests choose it).
std::chrono::milliseconds backoff_delay(std::chrono::milliseconds base, int retry, double jitter);

// The wait a Retry-After header asks for: delay-seconds ("2", also "1.5") or an IMF-fixdate HTTP date
// ("Sun, 06 Nov 1994 08:49:37 GMT") relative to `now`; a date in the past is 0. Capped at kMaxRetryDelay.
// nullopt when the value is neither (the caller then uses the backoff).
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);

// Parses an IMF-fixdate (RFC 9110 §5.6.7), the only HTTP date format senders may generate. nullopt otherwise.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace aw::processor::providers
