// ClosePolicy: what the client does after a connection, or an attempt, ended (ws-protocol.md §3.5): reconnect with
// backoff (and no sooner than a floor), or stop and tell the program why.
// - 1000 from the server, 1007: stop (nothing to report).
// - Authentication refused (close 4001, an `auth` frame answered `unauthorized`, an upgrade refused with HTTP 401):
//   stop with `unauthorized`, unless a token provider can supply another token: then reconnect (the client stops
//   after all if the provider returns the very token that was refused, see Client).
// - Token expired (close 4002): the same, with `token_expired`.
// - Upgrade refused with HTTP 403 (origin not allowed): stop with `forbidden` (another token would not help).
// - 4029: reconnect after at least 5 s. Everything else (4000, 4008, 4009, 4011, 1006, a failed TCP connect):
//   reconnect.
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <string>

#include "common/status.h"

namespace aw::client {

struct EndedConnection {
  int close_code = 0;         // the peer's close code (1006 when it dropped without one); 0 when it never opened
  int http_status = 0;        // a refused upgrade's HTTP status; 0 otherwise
  bool auth_refused = false;  // the gateway answered this connection's `auth` frame with an error
  bool has_token_provider = false;
  std::string reason;  // close reason or transport error, for the error message
};

struct CloseOutcome {
  bool reconnect = false;
  std::chrono::milliseconds floor{0};  // minimum delay before the next attempt
  // The authentication reason (unauthorized, token_expired, forbidden), also when a token provider lets the client
  // reconnect; ok for every other close.
  Status error;
};

// 4029 (rate limit exceeded repeatedly): reconnect after at least this long.
inline constexpr std::chrono::milliseconds kRateLimitFloor{5000};

CloseOutcome decide_after_close(const EndedConnection& ended);

// True for a close that says the token was refused or has expired (the token is not to be sent again).
bool is_token_rejection(const EndedConnection& ended);

}  // namespace aw::client
