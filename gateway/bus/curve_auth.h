// The gateway's CURVE settings and its ZAP admission rule (bus-protocol.md §11, §12).
// CURVE is on when AW_BUS_CURVE_SECRET_KEY is set: the gateway is CURVE server on all five sockets, and its ZAP
// handler (BusNode, on the bus reader thread) admits a client only when its public key is listed:
// - bus sockets (work, events, ctl, tap; ZAP domain kZapDomainBus): AW_BUS_CURVE_CLIENTS;
// - the admin socket (kZapDomainAdmin): AW_BUS_CURVE_CLIENTS or AW_ADMIN_CURVE_CLIENTS; only the latter may run
//   mutating admin ops (admin_service.h).
// An admitted client's ZAP user id is its Z85 public key, so the admin socket reads it back from each request
// ("User-Id" message property).
// Thread-safety: CurveSettings is immutable after start-up; decide_zap() is a pure function.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace aw::gateway::bus {

inline constexpr const char* kZapDomainBus = "aw.bus";
inline constexpr const char* kZapDomainAdmin = "aw.admin";

struct CurveSettings {
  std::string secret_key;               // AW_BUS_CURVE_SECRET_KEY (never logged)
  std::string public_key;               // derived (zmq_curve_public): what processors set as AW_BUS_CURVE_SERVER_KEY
  std::set<std::string> clients;        // AW_BUS_CURVE_CLIENTS
  std::set<std::string> admin_clients;  // AW_ADMIN_CURVE_CLIENTS
  std::vector<std::string> warnings;    // to log at start (e.g. no client key admitted)

  bool is_admin(const std::string& key) const { return admin_clients.count(key) != 0; }
};

// nullopt when AW_BUS_CURVE_SECRET_KEY is unset. Fails with code "invalid_config" naming the variable for a
// malformed key (secret or listed), and when a client list is set without the secret key (CURVE would be off and
// the list silently ignored).
Result<std::optional<CurveSettings>> curve_settings_from_env();

struct ZapVerdict {
  bool admitted = false;
  std::string user_id;  // the client's Z85 public key when admitted
  std::string reason;   // why not, for the log
};

// The answer to one ZAP request: `credential` is the client's raw 32-byte public key (ZAP frame 7 for CURVE).
// Anything but mechanism CURVE on a known domain with a listed key is refused.
ZapVerdict decide_zap(const CurveSettings& settings, std::string_view domain, std::string_view mechanism,
                      std::string_view credential);

// The ZAP version this handler speaks (RFC 27); a request in any other is refused with 400.
inline constexpr std::string_view kZapVersion = "1.0";

struct ZapAnswer {
  // The reply frames: version, request id, status code ("200" / "400"), status text, user id, metadata ("").
  std::vector<std::string> frames;
  ZapVerdict verdict;
  std::string domain;  // as requested ("" when the request was malformed)
};

// Answers one whole ZAP request (RFC 27 frames: version, request id, domain, address, identity, mechanism,
// credentials...): a request in another version than kZapVersion, or with fewer than 6 frames, is refused (400)
// without looking further; otherwise decide_zap() decides. The reply always names version 1.0 and echoes the request
// id (empty when absent), so the REP socket can always answer.
ZapAnswer answer_zap(const CurveSettings& settings, const std::vector<std::string_view>& request);

}  // namespace aw::gateway::bus
