// Test tokens for AW_AUTH=required (ws-protocol.md §3.2): HS256 JWTs signed with OpenSSL's HMAC, and raw pieces
// for tokens that must be wrong (another alg, a broken signature, non-canonical base64url).
// Header-only so that both the unit and the integration suites use it; the user links OpenSSL::Crypto.
// Thread-safety: pure functions.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace aw::test {

// A secret of the 32 bytes AW_AUTH_JWT_SECRET needs at least.
inline const std::string kTestJwtSecret = "test-secret-0123456789-abcdefghijklmnop";

inline std::string base64url_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                            (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (rest == 2) out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

inline std::string hs256_signature(std::string_view signing_input, std::string_view secret) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac.data(), &len);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), len));
}

// header.payload.signature with the given JSON texts, signed HS256 with `secret` whatever the header says.
inline std::string sign_jwt(std::string_view header_json, std::string_view payload_json,
                            std::string_view secret = kTestJwtSecret) {
  const std::string input = base64url_encode(header_json) + "." + base64url_encode(payload_json);
  return input + "." + hs256_signature(input, secret);
}

// A valid HS256 token for `payload_json`.
inline std::string mint_jwt(std::string_view payload_json, std::string_view secret = kTestJwtSecret) {
  return sign_jwt(R"({"alg":"HS256","typ":"JWT"})", payload_json, secret);
}

}  // namespace aw::test
