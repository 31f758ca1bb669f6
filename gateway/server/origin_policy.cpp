// OriginPolicy (see origin_policy.h).
#include "gateway/server/origin_policy.h"

#include <cctype>

namespace aw::gateway {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

struct HostPort {
  std::string host;  // lowercased; IPv6 literals keep their brackets
  std::string port;  // "" when absent
};

// Splits "host[:port]" / "[v6][:port]".
std::optional<HostPort> split_host_port(std::string_view text) {
  HostPort hp;
  if (text.empty()) return std::nullopt;
  if (text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    hp.host = lower(text.substr(0, close + 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      hp.port = std::string(rest.substr(1));
    }
    return hp;
  }
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    hp.host = lower(text);
  } else {
    hp.host = lower(text.substr(0, colon));
    hp.port = std::string(text.substr(colon + 1));
  }
  return hp;
}

struct ParsedOrigin {
  std::string scheme;
  HostPort host_port;
};

// "scheme://host[:port]" (a path, if any, is ignored).
std::optional<ParsedOrigin> parse_origin(std::string_view origin) {
  const auto sep = origin.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  ParsedOrigin parsed;
  parsed.scheme = lower(origin.substr(0, sep));
  std::string_view authority = origin.substr(sep + 3);
  const auto slash = authority.find('/');
  if (slash != std::string_view::npos) authority = authority.substr(0, slash);
  auto hp = split_host_port(authority);
  if (!hp) return std::nullopt;
  parsed.host_port = std::move(*hp);
  if (parsed.host_port.port.empty()) {
    if (parsed.scheme == "http" || parsed.scheme == "ws") parsed.host_port.port = "80";
    if (parsed.scheme == "https" || parsed.scheme == "wss") parsed.host_port.port = "443";
  }
  return parsed;
}

bool is_ipv4_literal(std::string_view host) {
  int dots = 0;
  int digits = 0;
  for (char c : host) {
    if (c == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = 0;
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

bool is_local_or_ip(std::string_view host) {
  return host == "localhost" || is_ipv4_literal(host) || (!host.empty() && host.front() == '[');
}

bool is_loopback(std::string_view host) { return host == "localhost" || host == "127.0.0.1" || host == "[::1]"; }

}  // namespace

OriginPolicy::OriginPolicy(std::optional<std::vector<std::string>> allowed_origins) {
  if (!allowed_origins) return;
  allowed_.emplace();
  for (const std::string& origin : *allowed_origins) {
    if (origin == "*") allow_all_ = true;
    std::string item = lower(origin);
    while (!item.empty() && item.back() == '/') item.pop_back();
    allowed_->push_back(std::move(item));
  }
}

bool OriginPolicy::allows(std::string_view origin, std::string_view host_header) const {
  if (origin.empty()) return true;
  if (allow_all_) return true;
  const auto parsed = parse_origin(origin);
  if (parsed) {
    auto host = split_host_port(host_header);
    if (host && host->port.empty()) host->port = "80";
    if (host && is_local_or_ip(host->host) && host->host == parsed->host_port.host &&
        host->port == parsed->host_port.port) {
      return true;
    }
  }
  if (!allowed_) {
    return parsed && (parsed->scheme == "http" || parsed->scheme == "https") && is_loopback(parsed->host_port.host);
  }
  std::string wanted = lower(origin);
  while (!wanted.empty() && wanted.back() == '/') wanted.pop_back();
  for (const std::string& item : *allowed_) {
    if (item == wanted) return true;
  }
  return false;
}

}  // namespace aw::gateway
