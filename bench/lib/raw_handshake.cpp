// Raw WebSocket handshake pieces (see raw_handshake.h).
#include "bench/lib/raw_handshake.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace aw::bench {
namespace {

// RFC 6455 §1.3's example key and its accept value.
constexpr std::string_view kKey = "dGhlIHNhbXBsZSBub25jZQ==";
constexpr std::string_view kAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
constexpr std::string_view kEndOfHeaders = "\r\n\r\n";

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<WsAddress> parse_ws_address(std::string_view uri) {
  constexpr std::string_view kScheme = "ws://";
  if (uri.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  uri.remove_prefix(kScheme.size());
  const auto slash = uri.find('/');
  const std::string_view authority = uri.substr(0, slash);
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  WsAddress address;
  address.host = std::string(authority.substr(0, colon));
  const std::string_view port_text = authority.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  in_addr probe{};
  if (::inet_pton(AF_INET, address.host.c_str(), &probe) != 1) return std::nullopt;
  address.port = static_cast<std::uint16_t>(port);
  address.path = slash == std::string_view::npos ? std::string("/") : std::string(uri.substr(slash));
  return address;
}

std::string upgrade_request(const WsAddress& address) {
  std::string r;
  r += "GET " + address.path + " HTTP/1.1\r\n";
  r += "Host: " + address.host + ":" + std::to_string(address.port) + "\r\n";
  r += "Upgrade: websocket\r\nConnection: Upgrade\r\n";
  r += "Sec-WebSocket-Key: " + std::string(kKey) + "\r\n";
  r += "Sec-WebSocket-Version: 13\r\n\r\n";
  return r;
}

std::string_view expected_accept() { return kAccept; }

HandshakeState check_upgrade_response(std::string_view received) {
  const auto end = received.find(kEndOfHeaders);
  if (end == std::string_view::npos) return HandshakeState::Incomplete;
  std::string_view head = received.substr(0, end + 2);  // every line keeps its CRLF
  const auto first_line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, first_line_end);
  if (status_line.substr(0, 13) != "HTTP/1.1 101 " && status_line != "HTTP/1.1 101") return HandshakeState::Refused;
  head.remove_prefix(first_line_end + 2);
  while (!head.empty()) {
    const auto line_end = head.find("\r\n");
    const std::string_view line = head.substr(0, line_end);
    head.remove_prefix(line_end + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (iequals(trim(line.substr(0, colon)), "Sec-WebSocket-Accept")) {
      return trim(line.substr(colon + 1)) == kAccept ? HandshakeState::Accepted : HandshakeState::Refused;
    }
  }
  return HandshakeState::Refused;
}

std::string_view client_close_frame() {
  // FIN + opcode 8; MASK + length 2; key 0 0 0 0; payload 1000 (0x03E8) XOR the zero key.
  static constexpr char kFrame[] = {'\x88', '\x82', '\x00', '\x00', '\x00', '\x00', '\x03', '\xE8'};
  return std::string_view(kFrame, sizeof kFrame);
}

}  // namespace aw::bench
