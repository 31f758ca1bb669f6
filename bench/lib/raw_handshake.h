// Raw WebSocket handshake pieces for the connect benchmark's raw-socket client (raw_connect_mode.cpp): the target
// address from a ws:// URI, one precomputed upgrade request, the check of the server's 101 answer, and the masked
// close frame a client sends. A fixed Sec-WebSocket-Key is used for every connection (a server must answer each
// with the same Sec-WebSocket-Accept, RFC 6455 §4.2.2), so the client computes no SHA-1 while it is being timed.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aw::bench {

struct WsAddress {
  std::string host;  // an IPv4 literal (the benchmark never resolves names)
  std::uint16_t port = 0;
  std::string path;  // "/" when the URI has none
};

// Parses "ws://<ipv4>:<port>[/path]"; nullopt for anything else.
std::optional<WsAddress> parse_ws_address(std::string_view uri);

// The upgrade request for `address`, with the fixed key.
std::string upgrade_request(const WsAddress& address);

// The Sec-WebSocket-Accept a server must send for the fixed key.
std::string_view expected_accept();

enum class HandshakeState {
  Incomplete,  // the header block has not ended yet
  Accepted,    // "HTTP/1.1 101" with the expected Sec-WebSocket-Accept
  Refused,     // a complete answer that is not an accepted upgrade
};

// Checks what a server sent so far in answer to upgrade_request().
HandshakeState check_upgrade_response(std::string_view received);

// A client close frame, code 1000, masked with a zero key (RFC 6455 §5.3 allows any key).
std::string_view client_close_frame();

}  // namespace aw::bench
