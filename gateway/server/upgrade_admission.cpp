// Admission of a WebSocket upgrade (see upgrade_admission.h).
#include "gateway/server/upgrade_admission.h"

#include <string_view>
#include <utility>

#include "gateway/server/upgrade_headers.h"
#include "gateway/session/jwt_verifier.h"

namespace aw::gateway {

UpgradeAdmission admit_upgrade(const HeaderLookup& header, const UpgradeAdmissionContext& context) {
  UpgradeAdmission admission;
  if (context.shutting_down) {
    admission.refusal = error_response(503, "Shutting down");
    return admission;
  }
  if (context.max_connections > 0 && static_cast<std::int64_t>(context.connections) >= context.max_connections) {
    context.counters.count_limit(kLimitConnections);
    admission.refusal = error_response(503, "Too many connections");
    return admission;
  }
  const std::string& origin = header("Origin");
  if (!origin.empty() && !context.origins.allows(origin, header("Host"))) {
    context.counters.count_limit(kLimitOrigin);
    admission.refusal = error_response(403, "Origin not allowed");
    return admission;
  }
  if (!context.authenticator.is_required()) return admission;
  const std::string& authorization = header("Authorization");
  if (authorization.empty()) return admission;  // the `auth` frame may still come
  const std::optional<std::string_view> token = bearer_token(authorization);
  if (!token) {
    context.counters.count_auth_failure(kTokenMalformed);
    admission.refusal = error_response(401, "Invalid token");
    return admission;
  }
  Result<Principal> principal = context.authenticator.authenticate(*token, context.now);
  if (!principal.is_ok()) {
    context.counters.count_auth_failure(principal.status().code());
    admission.refusal =
        error_response(401, principal.status().code() == kTokenExpired ? "Token expired" : "Invalid token");
    return admission;
  }
  principal->authenticated = true;
  admission.principal = std::move(principal).value();
  return admission;
}

}  // namespace aw::gateway
