// options_from_env (see client_options.h).
#include "client/client_options.h"

#include "common/env.h"

namespace aw::client {

Result<ClientOptions> options_from_env() {
  ClientOptions o;
  if (auto url = env_string("AW_URL")) o.url = *url;
  if (auto token = env_string("AW_TOKEN")) o.token = *token;
  if (auto delivery = env_string("AW_CLIENT_AUTH_DELIVERY")) {
    if (*delivery == "frame") {
      o.auth_delivery = AuthDelivery::kFrame;
    } else if (*delivery != "header") {
      return Status::invalid_request("AW_CLIENT_AUTH_DELIVERY must be 'header' or 'frame', not '" + *delivery + "'");
    }
  }
  auto refresh = env_int("AW_CLIENT_TOKEN_REFRESH_MS", 30000, 0, 86400000);
  if (!refresh) return refresh.status();
  o.token_refresh_margin = Millis(*refresh);
  auto timeout = env_int("AW_CLIENT_REQUEST_TIMEOUT_MS", 10000, 1, 3600000);
  if (!timeout) return timeout.status();
  auto initial = env_int("AW_CLIENT_RECONNECT_INITIAL_MS", 1000, 1, 600000);
  if (!initial) return initial.status();
  auto cap = env_int("AW_CLIENT_RECONNECT_MAX_MS", 30000, 1, 3600000);
  if (!cap) return cap.status();
  o.request_timeout = Millis(*timeout);
  o.reconnect_initial = Millis(*initial);
  o.reconnect_max = Millis(*cap);
  if (o.reconnect_max < o.reconnect_initial) o.reconnect_max = o.reconnect_initial;
  return o;
}

}  // namespace aw::client
