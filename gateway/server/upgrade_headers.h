// Socket-free checks the listener makes on request headers and on its own address (ws-protocol.md §1, §3.2):
// the token of an `Authorization: Bearer` header at the upgrade, and whether AW_HOST is a loopback address (the
// start-up warning for AW_AUTH=off on a reachable port).
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace aw::gateway {

// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 7235; spaces around the
// token dropped). nullopt for any other scheme or an empty token. The view points into `header`.
std::optional<std::string_view> bearer_token(std::string_view header);

// True for 127.0.0.0/8, ::1 and "localhost". An empty host (listen on every address) is not loopback.
bool is_loopback_host(std::string_view host);

}  // namespace aw::gateway
