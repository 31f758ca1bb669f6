// Token expiry on the client side: the `exp` claim of a JWT, read without verifying the token (the gateway
// verifies it; the client only plans when to send a fresh one, ws-protocol.md §3.2 "token refresh"), and the delay
// until that refresh.
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace aw::client {

// The token's `exp` (seconds since the epoch) as a time point; nullopt when the token is not a JWT with a numeric
// `exp`.
std::optional<std::chrono::system_clock::time_point> jwt_expiry(std::string_view token);

// How long to wait before sending a fresh token: `margin` before `exp`, or half the time left when less than
// `margin` remains (a short-lived token is still refreshed before it expires), 0 when it has already expired.
// nullopt when `margin` is 0 (refresh disabled).
std::optional<std::chrono::milliseconds> refresh_delay(std::chrono::system_clock::time_point now,
                                                       std::chrono::system_clock::time_point exp,
                                                       std::chrono::milliseconds margin);

}  // namespace aw::client
