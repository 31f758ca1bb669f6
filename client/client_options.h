// ClientOptions: where and how the client library connects, read from the environment by the tools.
// Settings (all documented in docs/client.md and the README configuration table):
//   AW_URL                          gateway URL, default ws://127.0.0.1:3001 (ws-protocol.md §1)
//   AW_TOKEN                        token (§3.2); unset = none
//   AW_CLIENT_AUTH_DELIVERY         `header` (default: Authorization: Bearer on the upgrade) or `frame` (a first
//                                   `auth` frame, for stacks that cannot set upgrade headers)
//   AW_CLIENT_TOKEN_REFRESH_MS      with a token provider: send a fresh token in an `auth` frame this long before
//                                   the token's exp, default 30000 (the gateway closes with 4002 at exp); 0 = never
//   AW_CLIENT_REQUEST_TIMEOUT_MS    last-resort timeout of one request, default 10000 (the gateway answers every
//                                   request at once; 10 s covers a large export on a busy gateway)
//   AW_CLIENT_RECONNECT_INITIAL_MS  first reconnect delay, default 1000 (§3.5: 1, 2, 4, 8, 16 s)
//   AW_CLIENT_RECONNECT_MAX_MS      reconnect delay cap, default 30000 (§3.5)
// Thread-safety: plain values.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/status.h"

namespace aw::client {

using Millis = std::chrono::milliseconds;

inline constexpr const char* kDefaultUrl = "ws://127.0.0.1:3001";

// How the token reaches the gateway (ws-protocol.md §3.2).
enum class AuthDelivery {
  kHeader,  // Authorization: Bearer <token> on the upgrade request (a refused token: HTTP 401)
  kFrame,   // {"type":"auth","payload":{"token":…}} as the first frame; requests wait for its `authenticated`
};

// Returns a token for the next connection attempt or refresh; an error fails that attempt (retried with backoff).
// Runs on the client's io thread: keep it short (read a file, ask a local agent), never wait on this client.
using TokenProvider = std::function<Result<std::string>()>;

struct ClientOptions {
  std::string url = kDefaultUrl;
  std::string token;  // "" = none (unless token_provider is set)
  AuthDelivery auth_delivery = AuthDelivery::kHeader;
  // When set, asked for a token before every connection attempt (it replaces `token`), after a 4001/4002 close, and
  // token_refresh_margin before the current token's exp (refresh on the live connection).
  TokenProvider token_provider;
  Millis token_refresh_margin{30000};         // 0 = no refresh before exp
  Millis request_timeout{10000};              // last resort: errors fail a request at once
  Millis open_timeout{5000};                  // opening handshake of one attempt
  Millis reconnect_initial{1000};             // first delay after a retryable close
  Millis reconnect_max{30000};                // cap of the exponential backoff
  bool auto_reconnect = true;                 // false: a lost connection stays lost (one-shot tools may prefer this)
  std::size_t max_message_bytes = 64u << 20;  // inbound frame limit (a large export-world answer fits)
};

// Options from AW_URL, AW_TOKEN and the AW_CLIENT_* variables; an invalid value fails naming the variable.
Result<ClientOptions> options_from_env();

}  // namespace aw::client
