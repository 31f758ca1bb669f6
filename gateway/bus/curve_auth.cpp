// CURVE settings and ZAP admission (see curve_auth.h).
#include "gateway/bus/curve_auth.h"

#include "common/bus/curve_keys.h"
#include "common/bus/curve_socket.h"
#include "common/env.h"

namespace aw::gateway::bus {

Result<std::optional<CurveSettings>> curve_settings_from_env() {
  const auto secret = env_string("AW_BUS_CURVE_SECRET_KEY");
  const auto clients = env_string("AW_BUS_CURVE_CLIENTS");
  const auto admin_clients = env_string("AW_ADMIN_CURVE_CLIENTS");
  if (!secret) {
    for (const char* name : {"AW_BUS_CURVE_CLIENTS", "AW_ADMIN_CURVE_CLIENTS"}) {
      if (env_string(name)) {
        return Status::error("invalid_config", std::string(name) +
                                                   " is set but AW_BUS_CURVE_SECRET_KEY is not: CURVE is off, so no "
                                                   "key would be checked; set the gateway's secret key too");
      }
    }
    return std::optional<CurveSettings>();
  }
  if (Status s = aw::bus::check_curve_key("AW_BUS_CURVE_SECRET_KEY", *secret, true); !s) return s;
  CurveSettings settings;
  settings.secret_key = *secret;
  auto public_key = aw::bus::curve_public_key(*secret);
  if (!public_key) return public_key.status();
  settings.public_key = std::move(public_key).value();
  auto bus_keys = aw::bus::parse_curve_key_list("AW_BUS_CURVE_CLIENTS", clients.value_or(""));
  if (!bus_keys) return bus_keys.status();
  auto admin_keys = aw::bus::parse_curve_key_list("AW_ADMIN_CURVE_CLIENTS", admin_clients.value_or(""));
  if (!admin_keys) return admin_keys.status();
  settings.clients.insert(bus_keys->begin(), bus_keys->end());
  settings.admin_clients.insert(admin_keys->begin(), admin_keys->end());
  if (settings.clients.empty()) {
    settings.warnings.push_back("CURVE is on but AW_BUS_CURVE_CLIENTS is empty: no processor can connect to the bus");
  }
  return std::optional<CurveSettings>(std::move(settings));
}

ZapVerdict decide_zap(const CurveSettings& settings, std::string_view domain, std::string_view mechanism,
                      std::string_view credential) {
  ZapVerdict verdict;
  if (mechanism != "CURVE") {
    verdict.reason = "mechanism " + std::string(mechanism) + " is not CURVE";
    return verdict;
  }
  if (credential.size() != aw::bus::kCurveKeyBytes) {
    verdict.reason = "malformed CURVE credential";
    return verdict;
  }
  const std::string key =
      aw::bus::z85_encode_key(reinterpret_cast<const std::uint8_t*>(credential.data()), credential.size());
  const bool listed = settings.clients.count(key) != 0;
  if (domain == kZapDomainBus) {
    verdict.admitted = listed;
  } else if (domain == kZapDomainAdmin) {
    verdict.admitted = listed || settings.is_admin(key);
  } else {
    verdict.reason = "unknown ZAP domain '" + std::string(domain) + "'";
    verdict.user_id = key;
    return verdict;
  }
  verdict.user_id = key;
  if (!verdict.admitted) verdict.reason = "key not in AW_BUS_CURVE_CLIENTS";
  if (!verdict.admitted && domain == kZapDomainAdmin) {
    verdict.reason = "key in neither AW_BUS_CURVE_CLIENTS nor AW_ADMIN_CURVE_CLIENTS";
  }
  return verdict;
}

ZapAnswer answer_zap(const CurveSettings& settings, const std::vector<std::string_view>& request) {
  // RFC 27 request frames.
  constexpr std::size_t kVersion = 0, kRequestId = 1, kDomain = 2, kAddress = 3, kMechanism = 5, kCredentials = 6;
  ZapAnswer answer;
  const std::string_view request_id = request.size() > kRequestId ? request[kRequestId] : std::string_view();
  if (request.empty() || request[kVersion] != kZapVersion) {
    answer.verdict.reason = "ZAP version '" + std::string(request.empty() ? "" : request[kVersion]) + "' is not " +
                            std::string(kZapVersion);
  } else if (request.size() <= kMechanism) {
    answer.verdict.reason = "malformed ZAP request (" + std::to_string(request.size()) + " frames)";
  } else {
    answer.domain = std::string(request[kDomain]);
    answer.verdict = decide_zap(settings, request[kDomain], request[kMechanism],
                                request.size() > kCredentials ? request[kCredentials] : std::string_view());
    if (!answer.verdict.admitted) answer.verdict.reason += ", from " + std::string(request[kAddress]);
  }
  const bool ok = answer.verdict.admitted;
  answer.frames = {std::string(kZapVersion),
                   std::string(request_id),
                   ok ? "200" : "400",
                   ok ? "OK" : "not admitted",
                   ok ? answer.verdict.user_id : std::string(),
                   std::string()};
  return answer;
}

}  // namespace aw::gateway::bus
