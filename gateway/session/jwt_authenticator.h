// JwtAuthenticator: AW_AUTH=required (ws-protocol.md §3.2). A connection starts unauthenticated (role reader, no
// worlds) and becomes the principal of a verified HS256 token (jwt_verifier.h).
// Thread-safety: immutable after construction; authenticate() may be called from any thread.
#pragma once

#include "gateway/session/authenticator.h"
#include "gateway/session/jwt_verifier.h"

namespace aw::gateway {

class JwtAuthenticator final : public Authenticator {
 public:
  explicit JwtAuthenticator(JwtSettings settings) : verifier_(std::move(settings)) {}

  // Authenticator
  std::string_view mode() const override { return "required"; }
  bool is_required() const override { return true; }
  Principal anonymous() const override;
  Result<Principal> authenticate(std::string_view token, EpochMs now) const override;

 private:
  JwtVerifier verifier_;
};

}  // namespace aw::gateway
