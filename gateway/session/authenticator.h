// Authenticator: the seam for connection authentication (ws-protocol.md §3.2). The gateway asks it for the
// principal of a new connection, and to turn a token (from an `auth` frame or an `Authorization: Bearer` header)
// into a principal. NoAuthAuthenticator is AW_AUTH=off: every connection is an admin of every world.
// JwtAuthenticator (jwt_authenticator.h) is AW_AUTH=required.
// Thread-safety: implementations are used on the loop thread only.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time_util.h"
#include "gateway/core/gateway_core.h"

namespace aw::gateway {

class Authenticator {
 public:
  virtual ~Authenticator() = default;

  // "off" | "required" (the AW_AUTH value, reported by `whoami`).
  virtual std::string_view mode() const = 0;
  // True when a connection must authenticate before anything but `auth` and `ping` (AW_AUTH=required).
  virtual bool is_required() const = 0;
  // The principal of a connection that has not authenticated.
  virtual Principal anonymous() const = 0;
  // Validates `token` at wall time `now`. Fails with the refusal reason as code (the kToken* names of
  // jwt_verifier.h, counted in /metrics; the error frame's code is always `unauthorized`) and the protocol text
  // (`Invalid token`, `Token expired`). Never logs the token.
  virtual Result<Principal> authenticate(std::string_view token, EpochMs now) const = 0;
};

class NoAuthAuthenticator final : public Authenticator {
 public:
  // Authenticator
  std::string_view mode() const override { return "off"; }
  bool is_required() const override { return false; }
  Principal anonymous() const override { return Principal{}; }
  Result<Principal> authenticate(std::string_view /*token*/, EpochMs /*now*/) const override { return Principal{}; }
};

}  // namespace aw::gateway
