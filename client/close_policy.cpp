// decide_after_close (see close_policy.h).
#include "client/close_policy.h"

namespace aw::client {
namespace {

constexpr int kCloseUnauthorized = 4001;
constexpr int kCloseTokenExpired = 4002;
constexpr int kCloseRateLimited = 4029;

std::string with_reason(const std::string& text, const std::string& reason) {
  return reason.empty() ? text : text + " (" + reason + ")";
}

}  // namespace

bool is_token_rejection(const EndedConnection& e) {
  return e.auth_refused || e.http_status == 401 || e.close_code == kCloseUnauthorized ||
         e.close_code == kCloseTokenExpired;
}

CloseOutcome decide_after_close(const EndedConnection& e) {
  CloseOutcome out;
  if (e.http_status == 403) {
    out.error = Status::error("forbidden", with_reason("the gateway refused the connection (HTTP 403)", e.reason));
    return out;
  }
  if (is_token_rejection(e)) {
    const bool expired = e.close_code == kCloseTokenExpired && !e.auth_refused;
    out.reconnect = e.has_token_provider;
    out.error = expired ? Status::error("token_expired", with_reason("the token expired (close 4002)", e.reason))
                        : Status::error("unauthorized", with_reason("the gateway refused the token", e.reason));
    return out;
  }
  if (e.close_code == 1000 || e.close_code == 1007) return out;
  out.reconnect = true;
  if (e.close_code == kCloseRateLimited) out.floor = kRateLimitFloor;
  return out;
}

}  // namespace aw::client
