// JWT verification for AW_AUTH=required (ws-protocol.md §3.2): an HS256 compact JWS, checked with OpenSSL's HMAC
// and a constant-time comparison (CRYPTO_memcmp). Everything else a token carries is parsed strictly:
// base64url without padding, canonical (unused trailing bits zero), header and payload JSON objects.
//
// Checked, in order: three non-empty segments; header `alg` = "HS256" (anything else, "none" included, is refused
// before the signature is looked at); no `crit` header; signature; `exp` (required, a number) and `nbf` (when
// present) with `leeway`; `iss` and `aud` when configured; claim types (`sub` string, `role` reader|writer|admin,
// `worlds` array of strings).
//
// Why not libjwt (the spec names it): libjwt 1.10 needs jansson for claims, has no validation API for iss/aud/nbf
// leeway, and its base64 decoder is lenient; what it would add over OpenSSL is the part done here in ~150 lines,
// with unit tests for every refusal. The cryptography itself (HMAC-SHA256, comparison) is OpenSSL's.
//
// Tokens are never logged or copied into errors. Thread-safety: JwtVerifier is immutable after construction;
// verify() may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time_util.h"

namespace aw::gateway {

struct JwtSettings {
  std::string secret;              // AW_AUTH_JWT_SECRET (at least 32 bytes; checked by the config)
  std::string issuer;              // AW_AUTH_ISSUER; "" = not checked
  std::string audience;            // AW_AUTH_AUDIENCE; "" = not checked
  std::int64_t leeway_ms = 30000;  // clock leeway for exp and nbf (§3.2: 30 s)
};

// The claims the gateway uses, defaults applied (role "reader", worlds []).
struct TokenClaims {
  std::string subject;              // `sub`, "" when absent
  std::string role = "reader";      // `role`
  std::vector<std::string> worlds;  // `worlds`, canonical world ids, or "*"
  EpochMs expires_at = 0;           // `exp` in ms
};

// Failure reasons: the Status code of a refusal, and the `reason` label of agentworld_auth_failures_total.
inline constexpr std::string_view kTokenMalformed = "malformed";         // not a well-formed HS256 JWT
inline constexpr std::string_view kTokenAlgorithm = "algorithm";         // alg other than HS256, or crit
inline constexpr std::string_view kTokenBadSignature = "bad_signature";  // HMAC mismatch
inline constexpr std::string_view kTokenExpired = "expired";             // exp (+ leeway) passed
inline constexpr std::string_view kTokenNotYetValid = "not_yet_valid";   // nbf (- leeway) not reached
inline constexpr std::string_view kTokenWrongIssuer = "issuer";          // iss differs from AW_AUTH_ISSUER
inline constexpr std::string_view kTokenWrongAudience = "audience";      // aud lacks AW_AUTH_AUDIENCE
inline constexpr std::string_view kTokenBadClaims = "claims";            // missing exp, mistyped claim

class JwtVerifier {
 public:
  explicit JwtVerifier(JwtSettings settings);

  // Verifies `token` at wall time `now`. Fails with one of the kToken* codes and the protocol text:
  // "Token expired" for kTokenExpired, "Invalid token" for every other reason.
  Result<TokenClaims> verify(std::string_view token, EpochMs now) const;

 private:
  JwtSettings settings_;
};

// Strict base64url (RFC 4648 §5) without padding: alphabet A-Z a-z 0-9 - _, length % 4 != 1, unused trailing bits
// zero. nullopt for anything else. Exposed for tests and the fuzz target.
std::optional<std::string> base64url_decode_strict(std::string_view text);

}  // namespace aw::gateway
