// aw-gateway: configuration -> logger -> GatewayCore (SQLite) -> WebSocket server -> run until SIGTERM/SIGINT.
// Shutdown order (written once, here): the server stops accepting and closes every connection with 4000 after
// flushing (bounded by AW_SHUTDOWN_GRACE_MS), its loop ends, then the core closes the database.
// Exit status: 0 after a signal, 2 for bad configuration or a database that cannot be opened, 1 when listening
// fails.
#include <cstdio>
#include <memory>

#include "common/log.h"
#include "gateway/core/gateway_core.h"
#include "gateway/server/gateway_config.h"
#include "gateway/server/ws_server.h"
#include "gateway/session/authenticator.h"

int main() {
  using namespace aw;
  using namespace aw::gateway;

  auto sink = LogSink::from_env();
  const Logger config_log(sink, "ws.config");
  auto config = load_gateway_config();
  if (!config.is_ok()) {
    config_log.error("invalid configuration", {{"error", config.status().message()}});
    return 2;
  }
  for (const std::string& warning : config->warnings) config_log.warn(warning);
  Status prepared = prepare_data_directory(*config);
  if (!prepared.is_ok()) {
    config_log.error("invalid configuration", {{"error", prepared.message()}});
    return 2;
  }
  config_log.info("configuration", {{"port", static_cast<int>(config->port)},
                                    {"storage", config->core.storage_type},
                                    {"database", config->core.database_path},
                                    {"auth", config->auth_mode}});

  auto core = GatewayCore::open(config->core, Logger(sink, "ws.storage"));
  if (!core.is_ok()) {
    Logger(sink, "ws.storage").error("cannot open the database", {{"error", core.status().message()}});
    return 2;
  }

  NoAuthAuthenticator authenticator;
  WsServer server(*config, **core, authenticator, Logger(sink, "ws.server"));
  Status listening = server.listen();
  if (!listening.is_ok()) {
    Logger(sink, "ws.server").error("cannot listen", {{"error", listening.message()}});
    return 1;
  }
  return server.run();
}
