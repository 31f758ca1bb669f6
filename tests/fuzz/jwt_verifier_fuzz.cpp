// libFuzzer target: the HS256 JWT verifier (gateway/session/jwt_verifier.h) and its strict base64url decoder, on
// arbitrary tokens. Besides crashes and sanitizer reports, a token that verifies must carry the claims contract
// (a known role, exp set); anything else traps.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/session/jwt_verifier.h"

namespace {

// The seed corpus (tests/fuzz/corpus/jwt_verifier) is signed with this secret, so mutations reach the claims.
constexpr std::string_view kFuzzSecret = "fuzz-secret-0123456789-abcdefghijklmnop";
constexpr aw::EpochMs kNow = 1'800'000'000'000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const aw::gateway::JwtVerifier verifier([] {
    aw::gateway::JwtSettings s;
    s.secret = std::string(kFuzzSecret);
    return s;
  }());
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  (void)aw::gateway::base64url_decode_strict(token);
  auto claims = verifier.verify(token, kNow);
  if (claims.is_ok()) {
    const std::string& role = claims->role;
    if (role != "reader" && role != "writer" && role != "admin") __builtin_trap();
    if (claims->expires_at + 30000 <= kNow) __builtin_trap();
  } else if (claims.status().message() != "Invalid token" && claims.status().message() != "Token expired") {
    __builtin_trap();
  }
  return 0;
}
