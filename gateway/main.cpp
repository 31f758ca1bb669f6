// aw-gateway: configuration -> logger -> GatewayCore (SQLite) -> bus sockets -> WebSocket server -> run until
// SIGTERM/SIGINT.
// Shutdown order (written once, here): the server stops accepting and closes every connection with 4000 after
// flushing (bounded by AW_SHUTDOWN_GRACE_MS), its loop ends, then the bus reader thread is joined and the bus
// sockets closed (LINGER 1000 ms), then the core closes the database.
// Exit status: 0 after a signal, 2 for bad configuration (including a bus endpoint policy violation, bus-protocol.md
// §11) or a database that cannot be opened, 1 when listening or binding a bus socket fails.
#include <cstdio>
#include <memory>

#include "common/ids.h"
#include "common/log.h"
#include "common/time_util.h"
#include "gateway/bus/bus_aware_core.h"
#include "gateway/bus/bus_hub.h"
#include "gateway/bus/bus_node.h"
#include "gateway/bus/endpoint_policy.h"
#include "gateway/bus/socket_bus_output.h"
#include "gateway/core/gateway_core.h"
#include "gateway/core/gateway_core_impl.h"
#include "gateway/server/gateway_config.h"
#include "gateway/server/ws_server.h"
#include "gateway/session/authenticator.h"
#include "gateway/storage/retention_pruner.h"

int main() {
  using namespace aw;
  using namespace aw::gateway;
  namespace gbus = aw::gateway::bus;

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

  auto endpoints = gbus::load_bus_endpoints();
  if (!endpoints.is_ok()) {
    config_log.error("invalid configuration", {{"error", endpoints.status().message()}});
    return 2;
  }
  for (const std::string& warning : endpoints->warnings) config_log.warn(warning);
  auto bus_settings = gbus::BusSettings::from_env();
  if (!bus_settings.is_ok()) {
    config_log.error("invalid configuration", {{"error", bus_settings.status().message()}});
    return 2;
  }

  auto core = GatewayCore::open(config->core, Logger(sink, "ws.storage"));
  if (!core.is_ok()) {
    Logger(sink, "ws.storage").error("cannot open the database", {{"error", core.status().message()}});
    return 2;
  }
  auto retention_settings = storage::RetentionSettings::from_env();
  if (!retention_settings.is_ok()) {
    config_log.error("invalid configuration", {{"error", retention_settings.status().message()}});
    return 2;
  }
  // A whole retention pass before listening, so that no client replays from frames that are about to go; later
  // passes run in small steps on the loop's ticks.
  storage::RetentionPruner pruner(static_cast<GatewayCoreImpl&>(**core).storage(), *retention_settings,
                                  Logger(sink, "ws.retention"));
  if (retention_settings->enabled()) {
    auto pruned = pruner.prune_all(now_ms());
    if (!pruned.is_ok()) {
      Logger(sink, "ws.retention").error("retention pass failed", {{"error", pruned.status().message()}});
    }
  }

  const std::unique_ptr<Authenticator> authenticator = make_authenticator(*config);
  const Logger bus_log(sink, "ws.bus");
  auto node = gbus::BusNode::open(*endpoints, bus_log);
  if (!node.is_ok()) {
    bus_log.error("cannot bind the bus", {{"error", node.status().message()}});
    return 1;
  }
  // The bus statuses and events reach clients through the session layer of the server built below.
  WsServer* server_ref = nullptr;
  gbus::SocketBusOutput bus_output(
      **node, {[&server_ref](const StatusBroadcast& status) { server_ref->service().deliver_status(status); },
               [&server_ref](const PersistedFrame& frame) { server_ref->service().deliver_persisted(frame); }});
  gbus::BusHub hub(static_cast<GatewayCoreImpl&>(**core).storage(), **core, *bus_settings, bus_output, new_message_id(),
                   bus_log);
  gbus::BusAwareCore bus_core(**core, hub, bus_output);
  WsServer server(*config, bus_core, *authenticator, Logger(sink, "ws.server"));
  server_ref = &server;
  server.set_bus_status(&hub);
  Status listening = server.listen();
  if (!listening.is_ok()) {
    Logger(sink, "ws.server").error("cannot listen", {{"error", listening.message()}});
    return 1;
  }
  if (Status recovered = hub.start(); !recovered.is_ok()) {
    bus_log.error("cannot recover the bus state", {{"error", recovered.message()}});
    return 1;
  }
  gbus::BusNodeHandlers handlers;
  handlers.on_batch = [&hub](gbus::InboundBatch&& batch) { hub.on_batch(std::move(batch)); };
  handlers.on_tick = [&hub, &pruner] {
    hub.tick();
    pruner.on_tick(now_ms());
  };
  handlers.on_admin = [&hub](const std::string& request, const gbus::AdminCaller& caller) {
    return hub.admin(request, caller);
  };
  handlers.post_to_loop = [&server](std::function<void()> task) { server.post(std::move(task)); };
  (*node)->start(std::move(handlers), gbus::BusHub::tick_period(*bus_settings));
  bus_log.info("bus ready", {{"work", endpoints->work},
                             {"events", endpoints->events},
                             {"ctl", endpoints->ctl},
                             {"tap", endpoints->tap},
                             {"admin", endpoints->admin}});
  if (endpoints->curve) {
    // The public key is what processors and awctl set as AW_BUS_CURVE_SERVER_KEY (bus-protocol.md §11).
    bus_log.info("bus CURVE on", {{"publicKey", endpoints->curve->public_key},
                                  {"clients", static_cast<std::int64_t>(endpoints->curve->clients.size())},
                                  {"adminClients", static_cast<std::int64_t>(endpoints->curve->admin_clients.size())}});
  }
  const int status = server.run();
  (*node)->stop();
  return status;
}
