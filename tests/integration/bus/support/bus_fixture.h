// BusFixture: one real aw-gateway per test case with short bus timings (WS_PROCESSOR_HEARTBEAT 200 ms, so
// leaseMs 600 ms; quick retries), a WebSocket client, and helpers to create a world and send messages. The
// scripted processor connects to the endpoints the GatewayProcess put in the gateway's environment.
// Thread-safety: one test thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "tests/integration/bus/support/scripted_processor.h"
#include "tests/support/gateway_process.h"
#include "tests/support/protocol_helpers.h"
#include "tests/support/ws_test_client.h"

namespace aw::test {

inline constexpr std::int64_t kTestHeartbeatMs = 200;

// The gateway environment of the bus tests; `extra` overrides.
EnvMap bus_gateway_env(const EnvMap& extra = {});

struct BusFixture {
  BusFixture();
  explicit BusFixture(const EnvMap& extra);

  // A scripted processor on this gateway's endpoints (not yet handshaken).
  std::unique_ptr<ScriptedProcessor> processor(std::int64_t slots = 1, std::int64_t v_min = 1, std::int64_t v_max = 1);
  // A welcomed processor with its work socket connected.
  std::unique_ptr<ScriptedProcessor> ready_processor(std::int64_t slots = 1);
  std::unique_ptr<WsTestClient> connect_client();

  // create-world {name} (+ one agent "a1"); returns the world id.
  std::string create_world(const std::string& name);
  // Sends a `message` frame and requires `queued`.
  void send_message(const std::string& world_id, const std::string& message_id, const std::string& content = "hi");
  // Runs a command and requires success; returns the reply.
  CommandReply command(const std::string& name, const JsonObject& params, const std::optional<std::string>& world);
  // The value of a /metrics sample line (e.g. `agentworld_bus_gaps_total`), -1 when absent.
  std::int64_t metric(const std::string& sample);

  std::unique_ptr<GatewayProcess> gateway;
  std::unique_ptr<WsTestClient> client;
  // CURVE keys of the scripted processors made by processor() (a gateway with AW_BUS_CURVE_SECRET_KEY).
  std::optional<aw::bus::CurveClientKeys> processor_curve;
};

// Waits for a status frame of (world, message) with payload.status == status.
std::optional<Frame> wait_status(WsTestClient& client, const std::string& message_id, const std::string& status,
                                 Millis timeout = Millis(5000));

}  // namespace aw::test
