// The bus test fixture (see bus_fixture.h).
#include "tests/integration/bus/support/bus_fixture.h"

#include <sstream>
#include <stdexcept>

namespace aw::test {

EnvMap bus_gateway_env(const EnvMap& extra) {
  EnvMap env = {{"WS_PROCESSOR_HEARTBEAT", std::to_string(kTestHeartbeatMs)},
                {"AW_DISPATCH_TIMEOUT_MS", "1000"},
                {"AW_QUEUE_RETRY_BASE_MS", "50"},
                {"AW_QUEUE_RETRY_MAX_MS", "200"},
                {"AW_QUEUE_MAX_RETRIES", "2"},
                // No title jobs unless a test asks (title_jobs_test.cpp): they would take processor slots.
                {"AW_CHAT_TITLES", "off"}};
  for (const auto& [k, v] : extra) env[k] = v;
  return env;
}

BusFixture::BusFixture() : BusFixture(EnvMap{}) {}

BusFixture::BusFixture(const EnvMap& extra) {
  auto started = GatewayProcess::start(GatewayOptions{AW_GATEWAY_BINARY, bus_gateway_env(extra)});
  if (!started) throw std::runtime_error("gateway did not start: " + started.status().message());
  gateway = std::move(started).value();
  client = connect_client();
}

std::unique_ptr<ScriptedProcessor> BusFixture::processor(std::int64_t slots, std::int64_t v_min, std::int64_t v_max) {
  ScriptedProcessorOptions o;
  o.events = gateway->env().at("AW_BUS_EVENTS");
  o.ctl = gateway->env().at("AW_BUS_CTL");
  o.work = gateway->env().at("AW_BUS_WORK");
  o.slots = slots;
  o.v_min = v_min;
  o.v_max = v_max;
  o.heartbeat_ms = kTestHeartbeatMs;
  o.curve = processor_curve;
  return std::make_unique<ScriptedProcessor>(o);
}

std::unique_ptr<ScriptedProcessor> BusFixture::ready_processor(std::int64_t slots) {
  auto p = processor(slots);
  if (!p->handshake()) throw std::runtime_error("no welcome for " + p->id());
  p->connect_work();
  return p;
}

std::unique_ptr<WsTestClient> BusFixture::connect_client() {
  auto c = std::make_unique<WsTestClient>();
  Status s = c->connect(gateway->url());
  if (!s) throw std::runtime_error("connect failed: " + s.message());
  return c;
}

CommandReply BusFixture::command(const std::string& name, const JsonObject& params,
                                 const std::optional<std::string>& world) {
  auto reply = run_command(*client, name, params, world);
  if (!reply) throw std::runtime_error(name + ": " + reply.status().message());
  if (!reply->ok()) throw std::runtime_error(name + " failed: " + reply->message());
  return std::move(reply).value();
}

std::string BusFixture::create_world(const std::string& name) {
  auto reply = command("create-world", JsonObject().set("name", name), std::nullopt);
  const std::string id = reply.data_string("id").value_or("");
  command("create-agent", JsonObject().set("name", "a1"), id);
  return id;
}

void BusFixture::send_message(const std::string& world_id, const std::string& message_id, const std::string& content) {
  auto queued = request(*client, JsonObject()
                                     .set("type", "message")
                                     .set("worldId", world_id)
                                     .set("messageId", message_id)
                                     .set("payload", JsonObject().set("content", content).set("sender", "human")));
  if (!queued) throw std::runtime_error("message: " + queued.status().message());
  if (queued->status() != "queued") throw std::runtime_error("message not queued: " + queued->text);
}

std::int64_t BusFixture::metric(const std::string& sample) {
  auto r = gateway->http_get("/metrics");
  if (!r) return -1;
  std::istringstream lines(r->body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.compare(0, sample.size() + 1, sample + " ") == 0) return std::stoll(line.substr(sample.size() + 1));
  }
  return -1;
}

std::optional<Frame> wait_status(WsTestClient& client, const std::string& message_id, const std::string& status,
                                 Millis timeout) {
  return client.wait_for(
      [&](const Frame& f) {
        return f.type() == "status" && f.string_at("messageId") == message_id && f.status() == status;
      },
      timeout);
}

}  // namespace aw::test
