// JwtAuthenticator (see jwt_authenticator.h).
#include "gateway/session/jwt_authenticator.h"

namespace aw::gateway {

Principal JwtAuthenticator::anonymous() const {
  Principal p;
  p.authenticated = false;
  p.role = "reader";
  p.worlds.clear();  // nothing is reachable before `auth` (and only auth/ping are accepted anyway)
  return p;
}

Result<Principal> JwtAuthenticator::authenticate(std::string_view token, EpochMs now) const {
  Result<TokenClaims> claims = verifier_.verify(token, now);
  if (!claims.is_ok()) return claims.status();
  Principal p;
  p.authenticated = true;
  p.subject = claims->subject;
  p.role = claims->role;
  p.worlds = claims->worlds;
  p.expires_at = claims->expires_at;
  return p;
}

}  // namespace aw::gateway
