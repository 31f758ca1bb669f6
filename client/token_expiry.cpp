// jwt_expiry and refresh_delay (see token_expiry.h).
#include "client/token_expiry.h"

#include <cstdint>
#include <string>

#include "common/json.h"

namespace aw::client {
namespace {

// base64url without padding (RFC 7515 §2); nullopt on a character outside the alphabet.
std::optional<std::string> base64url_decode(std::string_view in) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    if (c >= '0' && c <= '9') v = c - '0' + 52;
    if (c == '-') v = 62;
    if (c == '_') v = 63;
    if (c == '=') break;
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> jwt_expiry(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto claims_text = base64url_decode(token.substr(first + 1, second - first - 1));
  if (!claims_text) return std::nullopt;
  auto claims = json::parse_untrusted(*claims_text);
  if (!claims || !claims->IsObject()) return std::nullopt;
  auto exp = json::get_int(*claims, "exp");
  if (!exp) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::seconds(*exp));
}

std::optional<std::chrono::milliseconds> refresh_delay(std::chrono::system_clock::time_point now,
                                                       std::chrono::system_clock::time_point exp,
                                                       std::chrono::milliseconds margin) {
  using std::chrono::milliseconds;
  if (margin <= milliseconds(0)) return std::nullopt;
  const auto left = std::chrono::duration_cast<milliseconds>(exp - now);
  if (left <= milliseconds(0)) return milliseconds(0);
  return left > margin ? left - margin : left / 2;
}

}  // namespace aw::client
