// ClientOptions: where and how the client library connects, read from the environment by the tools.
// Settings (all documented in docs/client.md and the README configuration table):
//   AW_URL                          gateway URL, default ws://127.0.0.1:3001 (ws-protocol.md §1)
//   AW_TOKEN                        bearer token sent on the upgrade request (§3.2); unset = none
//   AW_CLIENT_REQUEST_TIMEOUT_MS    last-resort timeout of one request, default 10000 (the gateway answers every
//                                   request at once; 10 s covers a large export on a busy gateway)
//   AW_CLIENT_RECONNECT_INITIAL_MS  first reconnect delay, default 1000 (§3.5: 1, 2, 4, 8, 16 s)
//   AW_CLIENT_RECONNECT_MAX_MS      reconnect delay cap, default 30000 (§3.5)
// Thread-safety: plain values.
#pragma once

#include <chrono>
#include <string>

#include "common/status.h"

namespace aw::client {

using Millis = std::chrono::milliseconds;

inline constexpr const char* kDefaultUrl = "ws://127.0.0.1:3001";

struct ClientOptions {
  std::string url = kDefaultUrl;
  std::string token;                          // "" = no Authorization header
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
