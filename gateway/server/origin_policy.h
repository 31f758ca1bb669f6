// OriginPolicy: which browser origins may open a WebSocket (ws-protocol.md §3.1). Checked on every upgrade, before
// the WebSocket exists; a refusal is HTTP 403.
// - No Origin header: allowed (non-browser clients send none).
// - Origin host:port equal to the request's Host header, when that host is `localhost` or an IP literal: allowed
//   (the gateway's own pages; a DNS name is not trusted that way because DNS rebinding can forge it).
// - AW_ALLOWED_ORIGINS unset: http(s) origins on localhost, 127.0.0.1 or [::1], any port, are allowed.
// - AW_ALLOWED_ORIGINS set: exactly the listed origins (case-insensitive, trailing '/' ignored); `*` allows all.
// Thread-safety: immutable after construction; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aw::gateway {

class OriginPolicy {
 public:
  explicit OriginPolicy(std::optional<std::vector<std::string>> allowed_origins);

  // `origin` is the Origin header ("" when absent), `host_header` the Host header.
  bool allows(std::string_view origin, std::string_view host_header) const;

 private:
  std::optional<std::vector<std::string>> allowed_;  // lowercased
  bool allow_all_ = false;
};

}  // namespace aw::gateway
