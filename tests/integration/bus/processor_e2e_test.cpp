// End to end with the real aw-processor (bus-protocol.md §13; issue #4 "Done when"): one gateway, several real
// processors and aw-fake-llm over real sockets. Many messages over many worlds all complete in per-world order with
// each reply stored once; a processor killed mid-stream is replaced; a gateway killed with queued items runs them
// after its restart; a frozen processor (SIGSTOP) is detected within 3 heartbeat periods.
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <map>
#include <set>

#include "tests/integration/bus/support/bus_fixture.h"
#include "tests/integration/processor/fake_llm_process.h"
#include "tests/support/processor_process.h"

namespace aw::test {
namespace {

constexpr std::int64_t kE2eHeartbeatMs = 300;

struct E2eFixture {
  explicit E2eFixture(std::vector<std::string> fake_args = {}) {
    FakeLlmOptions fo;
    fo.binary = AW_FAKE_LLM_BINARY;
    fo.extra_args = std::move(fake_args);
    auto f = FakeLlmProcess::start(fo);
    if (!f) throw std::runtime_error("fake llm: " + f.status().message());
    fake = std::move(f).value();
    auto g = GatewayProcess::start(
        GatewayOptions{AW_GATEWAY_BINARY, bus_gateway_env({{"WS_PROCESSOR_HEARTBEAT", std::to_string(kE2eHeartbeatMs)},
                                                           {"AW_QUEUE_MAX_RETRIES", "3"},
                                                           {"AW_RATE_LIMIT_RPS", "0"}})});
    if (!g) throw std::runtime_error("gateway: " + g.status().message());
    gateway = std::move(g).value();
    client = connect();
  }

  std::unique_ptr<WsTestClient> connect() {
    auto c = std::make_unique<WsTestClient>();
    if (Status s = c->connect(gateway->url()); !s) throw std::runtime_error("connect: " + s.message());
    return c;
  }

  std::unique_ptr<ProcessorProcess> start_processor() {
    ProcessorOptions o;
    o.binary = AW_PROCESSOR_BINARY;
    o.env = {{"AW_BUS_WORK", gateway->env().at("AW_BUS_WORK")},
             {"AW_BUS_EVENTS", gateway->env().at("AW_BUS_EVENTS")},
             {"AW_BUS_CTL", gateway->env().at("AW_BUS_CTL")},
             {"OPENAI_COMPATIBLE_BASE_URL", fake->base_url() + "/v1"},
             {"AW_LLM_RETRY_BASE_MS", "10"}};
    auto p = ProcessorProcess::start(o);
    if (!p) throw std::runtime_error("processor: " + p.status().message());
    return std::move(p).value();
  }

  CommandReply command(WsTestClient& c, const std::string& name, const JsonObject& params,
                       const std::optional<std::string>& world) {
    auto reply = run_command(c, name, params, world);
    if (!reply || !reply->ok()) throw std::runtime_error(name + " failed");
    return std::move(reply).value();
  }

  std::string create_world(const std::string& name) {
    const std::string id =
        command(*client, "create-world", JsonObject().set("name", name), std::nullopt).data_string("id").value_or("");
    command(*client, "create-agent",
            JsonObject().set("name", "a1").set("provider", "openai-compatible").set("model", "fake-model"), id);
    return id;
  }

  void send(const std::string& world, const std::string& id) {
    auto sent = client->send_text(JsonObject()
                                      .set("type", "message")
                                      .set("worldId", world)
                                      .set("messageId", id)
                                      .set("payload", JsonObject().set("content", "hello " + id).set("sender", "human"))
                                      .str());
    if (!sent) throw std::runtime_error("send failed");
  }

  // Agent replies stored in the world's current chat.
  std::vector<std::string> stored_replies(const std::string& world) {
    auto r = command(*client, "get-chat-messages", JsonObject().set("limit", 500), world);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < r.data_array_size("messages").value_or(0); ++i) {
      const std::string p = "messages." + std::to_string(i) + ".";
      if (r.data_string(p + "sender").value_or("") == "a1") out.push_back(r.data_string(p + "messageId").value_or(""));
    }
    return out;
  }

  std::unique_ptr<FakeLlmProcess> fake;
  std::unique_ptr<GatewayProcess> gateway;
  std::unique_ptr<WsTestClient> client;
};

struct SlowE2eFixture : E2eFixture {
  SlowE2eFixture()
      : E2eFixture({"--chunk-delay-ms", "150", "--default-reply",
                    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
                    "seventeen "
                    "eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six"}) {
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(processor_e2e)

BOOST_FIXTURE_TEST_CASE(many_messages_over_many_worlds_complete_in_order_once, E2eFixture) {
  constexpr int kWorlds = 30;
  constexpr int kPerWorld = 10;
  std::vector<std::unique_ptr<ProcessorProcess>> processors;
  for (int i = 0; i < 3; ++i) processors.push_back(start_processor());
  auto watcher = connect();
  std::vector<std::string> worlds;
  for (int w = 0; w < kWorlds; ++w) {
    worlds.push_back(create_world("E2E World " + std::to_string(w)));
    BOOST_REQUIRE(subscribe(*watcher, worlds.back()).is_ok());
  }
  for (int i = 0; i < kPerWorld; ++i) {
    for (int w = 0; w < kWorlds; ++w) send(worlds[w], "m-" + std::to_string(w) + "-" + std::to_string(i));
  }
  // Completed statuses reach the sender; per world they come in send order.
  std::map<std::string, std::vector<std::string>> completed;
  int done = 0;
  const auto deadline = Clock::now() + Millis(90000);
  while (done < kWorlds * kPerWorld && Clock::now() < deadline) {
    auto f = client->wait_for(
        [](const Frame& fr) {
          return fr.type() == "status" && (fr.status() == "completed" || fr.status() == "failed");
        },
        Millis(5000));
    if (!f) continue;
    BOOST_REQUIRE_MESSAGE(f->status() == "completed", f->text);
    completed[f->string_at("worldId").value_or("")].push_back(f->string_at("messageId").value_or(""));
    ++done;
  }
  BOOST_REQUIRE_EQUAL(done, kWorlds * kPerWorld);
  for (int w = 0; w < kWorlds; ++w) {
    std::vector<std::string> expected;
    for (int i = 0; i < kPerWorld; ++i) expected.push_back("m-" + std::to_string(w) + "-" + std::to_string(i));
    BOOST_TEST(completed[worlds[w]] == expected, "order of " << worlds[w]);
    auto replies = stored_replies(worlds[w]);
    BOOST_TEST(replies.size() == static_cast<std::size_t>(kPerWorld));
    BOOST_TEST(std::set<std::string>(replies.begin(), replies.end()).size() == replies.size());
  }
  // The subscriber saw every persisted event of each world once, in seq order.
  std::map<std::string, std::int64_t> last_seq;
  for (const Frame& f : watcher->take_queued()) {
    if (f.type() != "event" || !f.int_at("seq") || *f.int_at("seq") == 0) continue;
    const std::string world = f.string_at("worldId").value_or("");
    BOOST_TEST(*f.int_at("seq") > last_seq[world], "seq order in " << world);
    last_seq[world] = *f.int_at("seq");
  }
  BOOST_TEST(last_seq.size() == static_cast<std::size_t>(kWorlds));
}

BOOST_FIXTURE_TEST_CASE(killed_processor_mid_stream_is_retried_elsewhere, SlowE2eFixture) {
  auto p1 = start_processor();
  const std::string world = create_world("Kill World");
  auto watcher = connect();
  BOOST_REQUIRE(subscribe(*watcher, world).is_ok());
  send(world, "kill-1");
  // Streaming has started: a chunk reached the subscriber.
  BOOST_REQUIRE(watcher->wait_for(
      [](const Frame& f) { return f.type() == "event" && f.string_at("payload.type") == std::string("chunk"); },
      Millis(10000)));
  auto p2 = start_processor();
  p1->kill9();
  auto retrying = wait_status(*client, "kill-1", "retrying", Millis(10000));
  BOOST_REQUIRE(retrying.has_value());
  BOOST_TEST(retrying->string_at("payload.code").value_or("") == "processor_lost");
  auto completed = wait_status(*client, "kill-1", "completed", Millis(20000));
  BOOST_REQUIRE(completed.has_value());
  BOOST_TEST(completed->int_at("payload.attempt").value_or(0) == 2);
  BOOST_TEST(stored_replies(world).size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(gateway_killed_with_queued_items_runs_them_after_restart, E2eFixture) {
  constexpr int kItems = 50;
  std::vector<std::string> worlds;
  for (int w = 0; w < 5; ++w) worlds.push_back(create_world("Restart World " + std::to_string(w)));
  for (int i = 0; i < kItems; ++i) send(worlds[i % 5], "r-" + std::to_string(i));
  // Every message is durable once queued.
  for (int i = 0; i < kItems; ++i) BOOST_REQUIRE(wait_status(*client, "r-" + std::to_string(i), "queued").has_value());
  client.reset();
  gateway->kill9();
  BOOST_REQUIRE(gateway->restart().is_ok());
  auto p = start_processor();
  const bool all_done = wait_until(
      [&] {
        auto r = gateway->http_get("/metrics");
        return r && r->body.find("agentworld_queue_items{state=\"completed\"} " + std::to_string(kItems)) !=
                        std::string::npos;
      },
      Millis(60000), Millis(200));
  BOOST_TEST(all_done);
}

BOOST_FIXTURE_TEST_CASE(frozen_processor_is_detected_within_three_heartbeats, SlowE2eFixture) {
  auto p1 = start_processor();
  const std::string world = create_world("Frozen World");
  send(world, "frozen-1");
  BOOST_REQUIRE(wait_status(*client, "frozen-1", "processing", Millis(10000)).has_value());
  BOOST_REQUIRE(p1->send_signal(SIGSTOP).is_ok());
  const auto stopped_at = Clock::now();
  auto retrying = wait_status(*client, "frozen-1", "retrying", Millis(10000));
  BOOST_REQUIRE(retrying.has_value());
  // leaseMs = 3 heartbeat periods from the last renewal, plus a tick (heartbeat / 4) and scheduling slack.
  BOOST_TEST((Clock::now() - stopped_at <= Millis(3 * kE2eHeartbeatMs + kE2eHeartbeatMs)));
  BOOST_TEST(p1->send_signal(SIGCONT).is_ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
