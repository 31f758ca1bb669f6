// AdminClient: one request to the gateway's admin REQ/REP endpoint (bus-protocol.md §10): sends
// {v, kind:"admin", op, params?} and reads {v, kind:"admin-result", op, ok, data? | error?}.
// A fresh REQ socket per request (linger 0), so a lost reply cannot wedge the next request.
// Thread-safety: one thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "common/bus/curve_keys.h"
#include "common/json.h"
#include "common/status.h"

namespace aw::ctl {

struct AdminReply {
  std::string text;  // the reply as received
  std::shared_ptr<json::Document> doc;
  const json::Value* data = nullptr;  // reply.data, nullptr when absent
};

// Sends the request and waits up to `timeout`, as a CURVE client when `curve` is set. Fails with `timeout` (no
// reply; also what a CURVE handshake the gateway refused looks like), `bad_reply` (not an admin-result), or the
// gateway's refusal (`admin_error` with its error text, e.g. "read-only").
Result<AdminReply> admin_request(const std::string& endpoint, const std::string& op, const std::string& params_json,
                                 std::chrono::milliseconds timeout,
                                 const std::optional<bus::CurveClientKeys>& curve = std::nullopt);

}  // namespace aw::ctl
