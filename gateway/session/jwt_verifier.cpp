// HS256 JWT verification (see jwt_verifier.h).
#include "gateway/session/jwt_verifier.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cmath>

#include "common/json.h"
#include "gateway/protocol/client_frame.h"

namespace aw::gateway {
namespace {

constexpr std::size_t kHs256Bytes = 32;
// A NumericDate beyond this (year ~2286 in seconds) is nonsense and would overflow the ms conversion.
constexpr double kMaxNumericDate = 1e10;

Status refuse(std::string_view reason) {
  return Status::error(std::string(reason),
                       reason == kTokenExpired ? std::string("Token expired") : std::string("Invalid token"));
}

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// A NumericDate claim in ms; nullopt when absent; a Status when present but not a usable number.
Result<std::optional<EpochMs>> numeric_date(const json::Value& payload, std::string_view name) {
  const json::Value* v = json::find(payload, name);
  if (v == nullptr) return std::optional<EpochMs>();
  if (!v->IsNumber()) return refuse(kTokenBadClaims);
  const double seconds = v->GetDouble();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxNumericDate) return refuse(kTokenBadClaims);
  return std::optional<EpochMs>(static_cast<EpochMs>(std::floor(seconds * 1000.0)));
}

bool audience_matches(const json::Value& aud, const std::string& expected) {
  if (aud.IsString()) return expected == std::string_view(aud.GetString(), aud.GetStringLength());
  if (!aud.IsArray()) return false;
  for (const json::Value& item : aud.GetArray()) {
    if (item.IsString() && expected == std::string_view(item.GetString(), item.GetStringLength())) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> base64url_decode_strict(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = base64url_value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  // Canonical form only: the bits left over after the last whole byte must be zero.
  if (bits > 0 && (buffer & ((1U << bits) - 1)) != 0) return std::nullopt;
  return out;
}

JwtVerifier::JwtVerifier(JwtSettings settings) : settings_(std::move(settings)) {}

Result<TokenClaims> JwtVerifier::verify(std::string_view token, EpochMs now) const {
  const std::size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return refuse(kTokenMalformed);
  const std::size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return refuse(kTokenMalformed);
  }
  const std::string_view header_b64 = token.substr(0, dot1);
  const std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signature_b64 = token.substr(dot2 + 1);
  if (header_b64.empty() || payload_b64.empty()) return refuse(kTokenMalformed);

  // The header decides how to verify; only HS256 is accepted, so "none" and key-confusion tricks stop here.
  auto header_text = base64url_decode_strict(header_b64);
  if (!header_text) return refuse(kTokenMalformed);
  auto header = json::parse_untrusted(*header_text);
  if (!header.is_ok() || !header->IsObject()) return refuse(kTokenMalformed);
  const std::optional<std::string> alg = json::get_string(*header, "alg");
  if (!alg || *alg != "HS256") return refuse(kTokenAlgorithm);
  if (json::find(*header, "crit") != nullptr) return refuse(kTokenAlgorithm);  // no extension is understood

  auto signature = base64url_decode_strict(signature_b64);
  if (!signature || signature->size() != kHs256Bytes) return refuse(kTokenBadSignature);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  const std::string_view signing_input = token.substr(0, dot2);
  if (HMAC(EVP_sha256(), settings_.secret.data(), static_cast<int>(settings_.secret.size()),
           reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac.data(),
           &mac_len) == nullptr ||
      mac_len != kHs256Bytes) {
    return refuse(kTokenBadSignature);
  }
  if (CRYPTO_memcmp(mac.data(), signature->data(), kHs256Bytes) != 0) return refuse(kTokenBadSignature);

  // Signed by us from here on; the claims are still checked for shape, as a bug on the minting side is likely.
  auto payload_text = base64url_decode_strict(payload_b64);
  if (!payload_text) return refuse(kTokenMalformed);
  auto payload = json::parse_untrusted(*payload_text);
  if (!payload.is_ok() || !payload->IsObject()) return refuse(kTokenMalformed);

  auto exp = numeric_date(*payload, "exp");
  if (!exp.is_ok()) return exp.status();
  if (!exp.value()) return refuse(kTokenBadClaims);  // exp is required
  auto nbf = numeric_date(*payload, "nbf");
  if (!nbf.is_ok()) return nbf.status();
  if (now >= *exp.value() + settings_.leeway_ms) return refuse(kTokenExpired);
  if (nbf.value() && now + settings_.leeway_ms < *nbf.value()) return refuse(kTokenNotYetValid);

  if (!settings_.issuer.empty()) {
    const std::optional<std::string> iss = json::get_string(*payload, "iss");
    if (!iss || *iss != settings_.issuer) return refuse(kTokenWrongIssuer);
  }
  if (!settings_.audience.empty()) {
    const json::Value* aud = json::find(*payload, "aud");
    if (aud == nullptr || !audience_matches(*aud, settings_.audience)) return refuse(kTokenWrongAudience);
  }

  TokenClaims claims;
  claims.expires_at = *exp.value();
  if (const json::Value* sub = json::find(*payload, "sub")) {
    if (!sub->IsString()) return refuse(kTokenBadClaims);
    claims.subject.assign(sub->GetString(), sub->GetStringLength());
  }
  if (const json::Value* role = json::find(*payload, "role")) {
    if (!role->IsString()) return refuse(kTokenBadClaims);
    const std::string_view name(role->GetString(), role->GetStringLength());
    if (name != "reader" && name != "writer" && name != "admin") return refuse(kTokenBadClaims);
    claims.role = std::string(name);
  }
  if (const json::Value* worlds = json::find(*payload, "worlds")) {
    if (!worlds->IsArray()) return refuse(kTokenBadClaims);
    for (const json::Value& w : worlds->GetArray()) {
      if (!w.IsString()) return refuse(kTokenBadClaims);
      const std::string_view id(w.GetString(), w.GetStringLength());
      // Frames are checked on their canonical world id, so the claim is compared in the same form.
      claims.worlds.push_back(id == "*" ? std::string("*") : protocol::canonical_world_id(id));
    }
  }
  return claims;
}

}  // namespace aw::gateway
