// Header and address checks of the listener (see upgrade_headers.h).
#include "gateway/server/upgrade_headers.h"

#include <cctype>

namespace aw::gateway {

std::optional<std::string_view> bearer_token(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return std::nullopt;
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

bool is_loopback_host(std::string_view host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.substr(0, 4) == "127.";
}

}  // namespace aw::gateway
