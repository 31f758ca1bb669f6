// CURVE on the bus (bus-protocol.md §11, §10 admin): a real aw-gateway with AW_BUS_CURVE_SECRET_KEY admits only the
// keys in AW_BUS_CURVE_CLIENTS (admin socket: also AW_ADMIN_CURVE_CLIENTS); refused handshakes are counted in
// agentworld_bus_auth_failures_total; mutating admin ops run only for an admin key; CURVE allows a non-loopback
// bind. Peers: scripted processors and plain cppzmq sockets with a socket monitor, and real aw-processor processes
// with aw-fake-llm.
#include <boost/test/unit_test.hpp>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

#include "common/bus/curve_socket.h"
#include "common/json.h"
#include "tests/integration/bus/support/bus_fixture.h"
#include "tests/integration/processor/fake_llm_process.h"
#include "tests/support/processor_process.h"

namespace aw::test {
namespace {

using aw::bus::CurveClientKeys;
using aw::bus::CurveKeyPair;

CurveKeyPair new_pair() {
  auto pair = aw::bus::generate_curve_keypair();
  if (!pair) throw std::runtime_error(pair.status().message());
  return pair.value();
}

// The key pairs of one test: the gateway's, a listed processor's, an admin's and an unlisted one.
struct CurveKeys {
  CurveKeyPair gateway = new_pair();
  CurveKeyPair processor = new_pair();
  CurveKeyPair admin = new_pair();
  CurveKeyPair stranger = new_pair();

  EnvMap gateway_env() const {
    return {{"AW_BUS_CURVE_SECRET_KEY", gateway.secret_key},
            {"AW_BUS_CURVE_CLIENTS", processor.public_key},
            {"AW_ADMIN_CURVE_CLIENTS", admin.public_key}};
  }
  // A client of this gateway with `pair`'s secret key.
  CurveClientKeys client(const CurveKeyPair& pair) const {
    return CurveClientKeys{pair.secret_key, gateway.public_key};
  }
};

struct KeyHolder {
  CurveKeys keys;
};

// A CURVE gateway (keys first: the gateway's environment needs them) whose scripted processors use the listed key.
struct CurveFixture : KeyHolder, BusFixture {
  CurveFixture() : BusFixture(keys.gateway_env()) { processor_curve = keys.client(keys.processor); }
};

enum class Handshake { Succeeded, Failed, Silent };

// Connects a SUB socket (as `keys`' CURVE client, or without CURVE) to `endpoint` and reports how its first
// handshake ended, seen through a socket monitor.
Handshake probe_handshake(const std::string& endpoint, const std::optional<CurveClientKeys>& keys) {
  static int probes = 0;
  const std::string monitor = "inproc://curve-probe-" + std::to_string(++probes);
  zmq::context_t ctx;
  zmq::socket_t sub(ctx, zmq::socket_type::sub);
  sub.set(zmq::sockopt::linger, 0);
  if (keys) aw::bus::use_curve_client(sub, *keys);
  const int events = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                     ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
  if (zmq_socket_monitor(sub.handle(), monitor.c_str(), events) != 0) throw std::runtime_error("monitor failed");
  zmq::socket_t pair(ctx, zmq::socket_type::pair);
  pair.set(zmq::sockopt::linger, 0);
  pair.set(zmq::sockopt::rcvtimeo, 3000);
  pair.connect(monitor);
  sub.connect(endpoint);
  zmq::message_t event;
  if (!pair.recv(event)) return Handshake::Silent;
  zmq::message_t address;
  (void)pair.recv(address);  // the second frame of every monitor event
  std::uint16_t id = 0;
  if (event.size() < sizeof id) return Handshake::Failed;
  std::memcpy(&id, event.data(), sizeof id);
  return id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED ? Handshake::Succeeded : Handshake::Failed;
}

// One admin request over REQ (CURVE client when `keys`); nullopt when no reply came within `timeout` (a refused
// handshake looks like that to the client).
std::optional<json::Document> admin_request(const std::string& endpoint, const std::string& body,
                                            const std::optional<CurveClientKeys>& keys, Millis timeout = Millis(5000)) {
  zmq::context_t ctx;
  zmq::socket_t req(ctx, zmq::socket_type::req);
  req.set(zmq::sockopt::linger, 0);
  req.set(zmq::sockopt::rcvtimeo, static_cast<int>(timeout.count()));
  if (keys) aw::bus::use_curve_client(req, *keys);
  req.connect(endpoint);
  req.send(zmq::buffer(body), zmq::send_flags::none);
  zmq::message_t reply;
  if (!req.recv(reply)) return std::nullopt;
  auto parsed = json::parse_trusted(reply.to_string_view());
  if (!parsed) return std::nullopt;
  return std::move(parsed).value();
}

std::string error_of(const json::Document& reply) { return json::get_string(reply, "error").value_or("<absent>"); }
bool ok_of(const json::Document& reply) { return json::get_bool(reply, "ok").value_or(false); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bus_curve, CurveFixture)

BOOST_AUTO_TEST_CASE(listed_processor_is_welcomed_and_gets_work) {
  const std::string world = create_world("Curve World");
  auto p = ready_processor();
  send_message(world, "curve-1");
  auto work = p->next_work();
  BOOST_REQUIRE(work.has_value());
  BOOST_TEST(work->run_id == "curve-1");
  p->accept(*work);
  BOOST_TEST(wait_status(*client, "curve-1", "processing").has_value());
  BOOST_TEST(metric("agentworld_bus_auth_failures_total") == 0);
}

BOOST_AUTO_TEST_CASE(handshakes_need_a_listed_key_and_refusals_are_counted) {
  const std::string ctl = gateway->env().at("AW_BUS_CTL");
  BOOST_TEST((probe_handshake(ctl, keys.client(keys.processor)) == Handshake::Succeeded));
  // Without CURVE the mechanisms differ: the handshake fails before any key is checked.
  BOOST_TEST((probe_handshake(ctl, std::nullopt) != Handshake::Succeeded));
  BOOST_TEST((probe_handshake(ctl, keys.client(keys.stranger)) == Handshake::Failed));
  // An admin key opens the admin socket only.
  BOOST_TEST((probe_handshake(ctl, keys.client(keys.admin)) == Handshake::Failed));
  // A client that has the wrong server key cannot complete the handshake either.
  BOOST_TEST((probe_handshake(ctl, CurveClientKeys{keys.processor.secret_key, keys.stranger.public_key}) !=
              Handshake::Succeeded));
  BOOST_TEST(wait_until([&] { return metric("agentworld_bus_auth_failures_total") >= 2; }));
  BOOST_TEST(gateway->stderr_text().find("CURVE client refused") != std::string::npos);
  BOOST_TEST(gateway->stderr_text().find(keys.stranger.public_key) != std::string::npos);
  BOOST_TEST(gateway->stderr_text().find(keys.gateway.secret_key) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(admin_mutations_need_an_admin_key) {
  const std::string world = create_world("Curve Admin World");
  // Subscribed: the statuses of the admin's commands go to the world's subscribers (the failed item has no origin).
  BOOST_REQUIRE(subscribe(*client, world).is_ok());
  auto p = ready_processor();
  send_message(world, "fail-1");
  // AW_QUEUE_MAX_RETRIES=2: attempts 1..3 each lose their lease (never listed in hb), then the item fails.
  for (std::int64_t attempt = 1; attempt <= 3; ++attempt) {
    auto work = p->next_work(Millis(4000));
    BOOST_REQUIRE(work.has_value());
    p->accept(*work);
    BOOST_REQUIRE(p->wait_ctl([&](const aw::bus::BusMessage& m) {
                     const auto* g = std::get_if<aw::bus::Grant>(&m);
                     return g != nullptr && g->dispatch_id == work->dispatch_id;
                   }).has_value());
    p->set_runs({});
  }
  BOOST_REQUIRE(wait_status(*client, "fail-1", "failed", Millis(4000)).has_value());
  const std::string endpoint = gateway->env().at("AW_ADMIN_BIND");
  std::string retry = R"({"v":1,"kind":"admin","op":"retry-failed","params":{"worldId":)";
  json::append_quoted(retry, world);
  retry += R"(,"messageId":"fail-1"}})";

  // No CURVE: no handshake, no answer.
  BOOST_TEST(!admin_request(endpoint, R"({"v":1,"kind":"admin","op":"health"})", std::nullopt, Millis(1000)));
  // A bus client reads but does not mutate.
  auto health = admin_request(endpoint, R"({"v":1,"kind":"admin","op":"health"})", keys.client(keys.processor));
  BOOST_REQUIRE(health.has_value());
  BOOST_TEST(ok_of(*health));
  auto refused = admin_request(endpoint, retry, keys.client(keys.processor));
  BOOST_REQUIRE(refused.has_value());
  BOOST_TEST(!ok_of(*refused));
  BOOST_TEST(error_of(*refused) == "read-only");

  // The admin key runs it: the item is requeued, the sender hears `queued`, the processor gets attempt 4.
  auto retried = admin_request(endpoint, retry, keys.client(keys.admin));
  BOOST_REQUIRE(retried.has_value());
  BOOST_TEST(ok_of(*retried), error_of(*retried));
  BOOST_TEST(json::to_string((*retried)["data"]).value_or("").find("fail-1") != std::string::npos);
  BOOST_TEST(wait_status(*client, "fail-1", "queued").has_value());
  auto again = p->next_work(Millis(4000));
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(again->attempt == 4);

  std::string cancel = retry;
  cancel.replace(cancel.find("retry-failed"), std::string("retry-failed").size(), "cancel-message");
  auto cancel_refused = admin_request(endpoint, cancel, keys.client(keys.processor));
  BOOST_REQUIRE(cancel_refused.has_value());
  BOOST_TEST(error_of(*cancel_refused) == "read-only");
  // By messageId alone: over all worlds (§10), each world's answer listed.
  auto cancelled =
      admin_request(endpoint, R"({"v":1,"kind":"admin","op":"cancel-message","params":{"messageId":"fail-1"}})",
                    keys.client(keys.admin));
  BOOST_REQUIRE(cancelled.has_value());
  BOOST_TEST(ok_of(*cancelled), error_of(*cancelled));
  BOOST_TEST(json::get_bool((*cancelled)["data"], "cancelled").value_or(false));
  BOOST_REQUIRE((*cancelled)["data"]["worlds"].IsArray());
  BOOST_TEST(json::get_string((*cancelled)["data"]["worlds"][0], "worldId").value_or("") == world);
  auto ended = wait_status(*client, "fail-1", "failed");
  BOOST_REQUIRE(ended.has_value());
  BOOST_TEST(ended->string_at("payload.code").value_or("<absent>") == "cancelled");

  // purge-failed runs for the admin key: fail-1 is cancelled now, not failed, so nothing is purged.
  auto purge_refused =
      admin_request(endpoint, R"({"v":1,"kind":"admin","op":"purge-failed","params":{}})", keys.client(keys.processor));
  BOOST_REQUIRE(purge_refused.has_value());
  BOOST_TEST(error_of(*purge_refused) == "read-only");
  auto purge =
      admin_request(endpoint, R"({"v":1,"kind":"admin","op":"purge-failed","params":{}})", keys.client(keys.admin));
  BOOST_REQUIRE(purge.has_value());
  BOOST_TEST(ok_of(*purge), error_of(*purge));
  BOOST_TEST(json::to_string((*purge)["data"]).value_or("") == R"({"purged":[]})");
  auto purge_one =
      admin_request(endpoint, R"({"v":1,"kind":"admin","op":"purge-failed","params":{"messageId":"fail-1"}})",
                    keys.client(keys.admin));
  BOOST_REQUIRE(purge_one.has_value());
  BOOST_TEST(error_of(*purge_one) == "Message 'fail-1' is not in failed state");
}

// A client without CURVE fails in libzmq before any key reaches ZAP: the socket monitor still counts it.
BOOST_AUTO_TEST_CASE(clients_without_curve_are_counted) {
  BOOST_REQUIRE(metric("agentworld_bus_auth_failures_total") == 0);
  zmq::context_t ctx;
  zmq::socket_t sub(ctx, zmq::socket_type::sub);  // NULL mechanism: no CURVE options
  sub.set(zmq::sockopt::linger, 0);
  sub.connect(gateway->env().at("AW_BUS_CTL"));
  BOOST_TEST(wait_until([&] { return metric("agentworld_bus_auth_failures_total") >= 1; }));
  BOOST_TEST(gateway->stderr_text().find("handshake failed before ZAP") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bus_curve_processes)

// Real aw-processor processes: one with a listed key, one with an unlisted key, one without keys. Only the listed
// one is ever registered, and it runs the message to completion.
BOOST_AUTO_TEST_CASE(only_the_listed_real_processor_runs_work) {
  const CurveKeys keys;
  FakeLlmOptions fo;
  fo.binary = AW_FAKE_LLM_BINARY;
  auto fake = FakeLlmProcess::start(fo);
  BOOST_REQUIRE_MESSAGE(fake.is_ok(), fake.status().message());
  auto started = GatewayProcess::start(GatewayOptions{AW_GATEWAY_BINARY, bus_gateway_env(keys.gateway_env())});
  BOOST_REQUIRE_MESSAGE(started.is_ok(), started.status().message());
  auto gateway = std::move(started).value();
  WsTestClient ws;
  BOOST_REQUIRE(ws.connect(gateway->url()).is_ok());
  auto created = run_command(ws, "create-world", JsonObject().set("name", "Curve E2E"), std::nullopt);
  BOOST_REQUIRE(created.is_ok());
  const std::string world = created->data_string("id").value_or("");
  BOOST_REQUIRE(
      run_command(ws, "create-agent",
                  JsonObject().set("name", "a1").set("provider", "openai-compatible").set("model", "fake-model"), world)
          .is_ok());

  auto start_processor = [&](const std::optional<CurveKeyPair>& pair, bool wait_welcomed) {
    ProcessorOptions o;
    o.binary = AW_PROCESSOR_BINARY;
    o.wait_welcomed = wait_welcomed;
    o.env = {{"AW_BUS_WORK", gateway->env().at("AW_BUS_WORK")},
             {"AW_BUS_EVENTS", gateway->env().at("AW_BUS_EVENTS")},
             {"AW_BUS_CTL", gateway->env().at("AW_BUS_CTL")},
             {"OPENAI_COMPATIBLE_BASE_URL", (*fake)->base_url() + "/v1"}};
    if (pair) {
      o.env["AW_BUS_CURVE_SECRET_KEY"] = pair->secret_key;
      o.env["AW_BUS_CURVE_SERVER_KEY"] = keys.gateway.public_key;
    }
    auto p = ProcessorProcess::start(o);
    if (!p) throw std::runtime_error("processor: " + p.status().message());
    return std::move(p).value();
  };
  auto stranger = start_processor(keys.stranger, false);
  auto keyless = start_processor(std::nullopt, false);
  auto sent = ws.send_text(JsonObject()
                               .set("type", "message")
                               .set("worldId", world)
                               .set("messageId", "curve-e2e-1")
                               .set("payload", JsonObject().set("content", "hello").set("sender", "human"))
                               .str());
  BOOST_REQUIRE(sent.is_ok());
  BOOST_REQUIRE(wait_status(ws, "curve-e2e-1", "queued").has_value());
  // The unlisted processor's handshakes are refused (and counted); the item waits.
  BOOST_REQUIRE(wait_until([&] {
    auto r = gateway->http_get("/metrics");
    return r.is_ok() && r->body.find("agentworld_bus_auth_failures_total 0") == std::string::npos;
  }));

  auto listed = start_processor(keys.processor, true);
  BOOST_TEST(wait_status(ws, "curve-e2e-1", "completed", Millis(15000)).has_value());
  auto processors = admin_request(gateway->env().at("AW_ADMIN_BIND"), R"({"v":1,"kind":"admin","op":"processors"})",
                                  keys.client(keys.admin));
  BOOST_REQUIRE(processors.has_value());
  BOOST_REQUIRE((*processors)["data"].IsArray());
  BOOST_TEST((*processors)["data"].Size() == 1u);
  BOOST_TEST(json::get_string((*processors)["data"][0], "id").value_or("") == listed->processor_id());
  BOOST_TEST(stranger->is_running());
  BOOST_TEST(keyless->is_running());
}

// §11: CURVE makes a non-loopback bind acceptable (without it: exit 2, endpoint_policy suite).
BOOST_AUTO_TEST_CASE(non_loopback_bind_starts_with_curve) {
  const CurveKeys keys;
  EnvMap env = bus_gateway_env(keys.gateway_env());
  env["AW_BUS_WORK"] = "tcp://0.0.0.0:*";
  auto started = GatewayProcess::start(GatewayOptions{AW_GATEWAY_BINARY, env});
  BOOST_REQUIRE_MESSAGE(started.is_ok(), started.status().message());
  BOOST_TEST((*started)->is_running());
  BOOST_TEST((*started)->stderr_text().find("AW_BUS_INSECURE") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
