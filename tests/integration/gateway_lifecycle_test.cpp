// The gateway process across its life (ws-protocol.md §1 shutdown, §6, §7, §10; agent-runtime.md §14): state
// survives a restart and a SIGKILL (same database: worlds, agents, queue, seq and epoch), SIGTERM closes clients
// with 4000 and exits 0, the memory storage type works and keeps nothing, and an unusable database file stops the
// start with a clear message.
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "tests/integration/assertions.h"

namespace aw::test {

BOOST_FIXTURE_TEST_SUITE(gateway_lifecycle, GatewayFixture)

BOOST_AUTO_TEST_CASE(restart_keeps_worlds_agents_queue_seq_and_epoch) {
  GatewayProcess& gateway = start_own();
  const std::string world = "durable-world";
  std::int64_t latest = 0;
  std::string epoch;
  {
    auto client = connect(gateway);
    AW_REQUIRE_OK(create_world(*client, "Durable World", JsonObject().set("description", "kept")));
    require_success(*client, "create-agent", JsonObject().set("id", "keeper").set("name", "Keeper"), world);
    require_queued(*client, world, "durable-m1", "survive this");
    const Frame ack = require_subscribed(*client, world);
    latest = int_of(ack, "payload.latestSeq");
    epoch = str_of(ack, "payload.epoch");
    BOOST_TEST(latest == 3);
  }
  AW_REQUIRE_OK(gateway.restart());

  auto client = connect(gateway);
  auto got = require_success(*client, "get-world", JsonObject(), world);
  BOOST_TEST(got.data_string("description").value_or("") == "kept");
  BOOST_TEST(got.data_array_size("agents").value_or(0) == 1u);
  BOOST_TEST(require_success(*client, "get-agent", JsonObject().set("agentId", "keeper"), world)
                 .data_string("name")
                 .value_or("") == "Keeper");
  auto queue = require_success(*client, "queue-status", JsonObject(), world);
  BOOST_TEST(queue.data_int("worlds.0.pending").value_or(-1) == 1);
  // The same message is still known: a resend is a duplicate.
  BOOST_TEST(bool_of(require_queued(*client, world, "durable-m1", "survive this"), "payload.duplicate") == 1);

  const Frame ack =
      require_subscribed(*client, world, std::nullopt, JsonObject().set("fromSeq", latest - 1).set("epoch", epoch));
  BOOST_TEST(int_of(ack, "payload.latestSeq") == latest);
  BOOST_TEST(str_of(ack, "payload.epoch") == epoch);
  BOOST_TEST(bool_of(ack, "payload.recovered") == 1);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 1);
  auto replayed = client->wait_for([](const Frame& f) { return f.bool_at("historical").value_or(false); });
  BOOST_REQUIRE(replayed.has_value());
  BOOST_TEST(int_of(*replayed, "seq") == latest);
  BOOST_TEST(client->wait_for(has_status("replay-complete")).has_value());

  // New frames continue the seq.
  require_success(*client, "create-agent", JsonObject().set("name", "Newcomer"), world);
  BOOST_TEST(int_of(require_crud(*client, world), "seq") == latest + 1);
}

BOOST_AUTO_TEST_CASE(an_acknowledged_message_survives_sigkill) {
  GatewayProcess& gateway = start_own();
  {
    auto client = connect(gateway);
    AW_REQUIRE_OK(create_world(*client, "Crash World"));
    require_queued(*client, "crash-world", "crash-m1");
  }
  gateway.kill9();
  AW_REQUIRE_OK(gateway.restart());
  auto client = connect(gateway);
  auto queue = require_success(*client, "queue-status", JsonObject(), "crash-world");
  BOOST_TEST(queue.data_int("worlds.0.pending").value_or(-1) == 1);
  BOOST_TEST(require_success(*client, "list-worlds").data_array_size().value_or(0) == 1u);
}

BOOST_AUTO_TEST_CASE(sigterm_closes_clients_with_4000_and_exits_0) {
  GatewayProcess& gateway = start_own({{"AW_SHUTDOWN_GRACE_MS", "2000"}});
  expect_gateway_exit();
  auto idle = connect(gateway);
  auto subscribed = connect(gateway);
  AW_REQUIRE_OK(create_world(*subscribed, "Shutdown World"));
  require_subscribed(*subscribed, "shutdown-world");

  AW_REQUIRE_OK(gateway.send_signal(SIGTERM));
  for (WsTestClient* client : {idle.get(), subscribed.get()}) {
    auto closed = client->wait_closed(Millis(10000));
    BOOST_REQUIRE_MESSAGE(closed.has_value(), "client not closed on SIGTERM");
    BOOST_TEST(closed->remote_code == 4000);
  }
  // While it is still shutting down, whatever answers says "not ready" and refuses upgrades with 503.
  if (gateway.is_running()) {
    auto readyz = gateway.http_get("/readyz", Millis(500));
    if (readyz.is_ok()) BOOST_TEST(readyz->status == 503);
    RawWsClient late;
    if (!late.connect(gateway.host(), gateway.port(), "/", {}, Millis(500)) && late.http_status() != 0) {
      BOOST_TEST(late.http_status() == 503);
    }
  }
  auto status = gateway.wait_exit(Millis(10000));
  AW_REQUIRE_OK(status);
  BOOST_TEST(*status == 0);
}

BOOST_AUTO_TEST_CASE(memory_storage_works_and_keeps_nothing) {
  GatewayProcess& gateway = start_own({{"AGENT_WORLD_STORAGE_TYPE", "memory"}});
  {
    auto client = connect(gateway);
    auto watcher = connect(gateway);
    require_subscribed(*watcher, "memory-world");
    AW_REQUIRE_OK(create_world(*client, "Memory World"));
    BOOST_TEST(int_of(require_crud(*watcher, "memory-world"), "seq") == 1);
    require_success(*client, "create-agent", JsonObject().set("name", "Volatile"), "memory-world");
    require_queued(*client, "memory-world", "memory-m1");
    BOOST_TEST(require_success(*client, "list-worlds").data_array_size().value_or(0) == 1u);
  }
  BOOST_TEST(!std::filesystem::exists(gateway.database_path()));
  AW_REQUIRE_OK(gateway.restart());
  auto client = connect(gateway);
  BOOST_TEST(require_success(*client, "list-worlds").data_array_size().value_or(99) == 0u);
}

BOOST_AUTO_TEST_CASE(an_unusable_database_file_stops_the_start) {
  const std::string dir = (std::filesystem::temp_directory_path() / ("aw-it-baddb-" + next_request_id())).string();
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/not-a-database.db";
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(4096, 'x');  // not SQLite
  }
  GatewayOptions options = gateway_options({{"AGENT_WORLD_SQLITE_DATABASE", path}});
  options.ready_timeout = Millis(10000);
  auto started = GatewayProcess::start(options);
  BOOST_TEST(!started.is_ok());
  BOOST_TEST(started.status().code() == "gateway_exited", started.status().message());
  BOOST_TEST(started.status().message().find("exited with status 0") == std::string::npos);
  BOOST_TEST(started.status().message().find("not-a-database.db") != std::string::npos);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
