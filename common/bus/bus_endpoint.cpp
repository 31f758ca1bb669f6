#include "common/bus/bus_endpoint.h"

namespace aw::bus {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// The host of a tcp:// address: "[::1]" keeps its brackets; the port (after the last ':') is cut.
std::string_view tcp_host(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    const auto close = address.find(']');
    return close == std::string_view::npos ? address : address.substr(0, close + 1);
  }
  const auto colon = address.rfind(':');
  return colon == std::string_view::npos ? address : address.substr(0, colon);
}

// 127.x.y.z with four numeric parts (so "127.0.0.1.example.com" is not loopback).
bool is_ipv4_loopback(std::string_view host) {
  if (!starts_with(host, "127.")) return false;
  int dots = 0;
  bool digit_seen = false;
  for (char c : host) {
    if (c == '.') {
      if (!digit_seen) return false;
      ++dots;
      digit_seen = false;
    } else if (c >= '0' && c <= '9') {
      digit_seen = true;
    } else {
      return false;
    }
  }
  return dots == 3 && digit_seen;
}

}  // namespace

bool is_local_endpoint(std::string_view endpoint) {
  if (starts_with(endpoint, "ipc://") || starts_with(endpoint, "inproc://")) return true;
  if (!starts_with(endpoint, "tcp://")) return false;
  const std::string_view host = tcp_host(endpoint.substr(6));
  return host == "localhost" || host == "[::1]" || is_ipv4_loopback(host);
}

}  // namespace aw::bus
