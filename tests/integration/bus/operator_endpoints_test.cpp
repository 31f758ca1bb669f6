// The operator side of the bus (bus-protocol.md §10, §11): the XPUB tap, the admin REP endpoint and the endpoint
// policy at start-up (exit status 2).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <zmq_addon.hpp>

#include "common/json.h"
#include "tests/integration/bus/support/bus_fixture.h"

namespace aw::test {
namespace {

// Runs aw-gateway with `env` (plus a temp data dir) until it exits; returns its exit status and stderr.
std::pair<int, std::string> run_gateway_until_exit(EnvMap env) {
  char dir_template[] = "/tmp/aw-bus-exit-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  env["AGENT_WORLD_DATA_PATH"] = dir + "/data";
  env["AGENT_WORLD_SQLITE_DATABASE"] = dir + "/data/db.sqlite";
  env["HOME"] = dir;
  env["WS_PORT"] = "0";
  env["AW_HOST"] = "127.0.0.1";
  const std::string err_path = dir + "/stderr";
  std::vector<std::string> strings;
  for (const auto& [k, v] : env) strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    char* argv[] = {const_cast<char*>(AW_GATEWAY_BINARY), nullptr};
    execve(AW_GATEWAY_BINARY, argv, envp.data());
    _exit(127);
  }
  int status = 0;
  const auto deadline = Clock::now() + Millis(10000);
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return {-1, "did not exit"};
    }
    std::this_thread::sleep_for(Millis(10));
  }
  std::ifstream in(err_path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), text};
}

// One admin request over REQ; the parsed reply.
json::Document admin_request(const std::string& endpoint, const std::string& body) {
  zmq::context_t ctx;
  zmq::socket_t req(ctx, zmq::socket_type::req);
  req.set(zmq::sockopt::linger, 0);
  req.set(zmq::sockopt::rcvtimeo, 5000);
  req.connect(endpoint);
  req.send(zmq::buffer(body), zmq::send_flags::none);
  zmq::message_t reply;
  json::Document doc;
  if (!req.recv(reply)) return doc;
  auto parsed = json::parse_trusted(reply.to_string_view());
  if (parsed) doc = std::move(parsed).value();
  return doc;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(operator_endpoints, BusFixture)

BOOST_AUTO_TEST_CASE(tap_republishes_world_frames_while_subscribed) {
  const std::string world = create_world("Tap World");
  zmq::context_t ctx;
  zmq::socket_t sub(ctx, zmq::socket_type::sub);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::subscribe, "");
  sub.connect(gateway->env().at("AW_TAP_BIND"));
  std::vector<zmq::message_t> parts;
  // The subscription reaches the XPUB asynchronously: make crud frames until one arrives.
  bool crud_seen = false;
  const auto deadline = Clock::now() + Millis(5000);
  for (int i = 0; !crud_seen && Clock::now() < deadline; ++i) {
    command("create-agent", JsonObject().set("name", "tap agent " + std::to_string(i)), world);
    zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, Millis(100));
    parts.clear();
    while (zmq::recv_multipart(sub, std::back_inserter(parts), zmq::recv_flags::dontwait)) {
      BOOST_REQUIRE(parts.size() == 2u);
      if (parts[0].to_string() == "crud." + world) crud_seen = true;
      parts.clear();
    }
  }
  BOOST_REQUIRE(crud_seen);
  auto p = ready_processor();
  send_message(world, "tap-1");
  auto work = p->next_work();
  BOOST_REQUIRE(work.has_value());
  p->accept(*work);
  bool event_seen = false;
  bool status_seen = false;
  const auto until = Clock::now() + Millis(5000);
  while (!(event_seen && status_seen) && Clock::now() < until) {
    zmq::pollitem_t item{sub.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, Millis(50));
    parts.clear();
    while (zmq::recv_multipart(sub, std::back_inserter(parts), zmq::recv_flags::dontwait)) {
      const std::string topic = parts[0].to_string();
      const std::string body = parts[1].to_string();
      if (topic == "event." + world && body.find("\"tap-1\"") != std::string::npos) event_seen = true;
      if (topic == "status." + world && body.find("processing") != std::string::npos) status_seen = true;
      parts.clear();
    }
  }
  BOOST_TEST(event_seen);
  BOOST_TEST(status_seen);
}

BOOST_AUTO_TEST_CASE(admin_answers_read_only_ops_and_refuses_mutations) {
  const std::string world = create_world("Admin World");
  auto p = ready_processor();
  send_message(world, "admin-1");
  BOOST_REQUIRE(p->next_work().has_value());
  const std::string endpoint = gateway->env().at("AW_ADMIN_BIND");

  auto health = admin_request(endpoint, R"({"v":1,"kind":"admin","op":"health"})");
  BOOST_REQUIRE(health.IsObject());
  BOOST_TEST(json::get_string(health, "kind").value_or(std::string("<absent>")) == std::string("admin-result"));
  BOOST_TEST(json::get_bool(health, "ok").value_or(false) == true);
  BOOST_TEST(json::get_int(health["data"], "processors").value_or(-999) == 1);

  auto processors = admin_request(endpoint, R"({"v":1,"kind":"admin","op":"processors"})");
  BOOST_REQUIRE(processors.IsObject());
  BOOST_REQUIRE(processors["data"].IsArray());
  BOOST_REQUIRE(processors["data"].Size() == 1u);
  BOOST_TEST(json::get_string(processors["data"][0], "id").value_or(std::string("<absent>")) == p->id());

  auto status = admin_request(endpoint, R"({"v":1,"kind":"admin","op":"queue-status"})");
  BOOST_REQUIRE(status.IsObject());
  BOOST_TEST(json::get_bool(status, "ok").value_or(false) == true);
  BOOST_TEST(json::to_string(status["data"]).value_or("").find(world) != std::string::npos);

  auto failed = admin_request(endpoint, R"({"v":1,"kind":"admin","op":"list-failed"})");
  BOOST_REQUIRE(failed.IsObject());
  BOOST_TEST(json::get_bool(failed, "ok").value_or(false) == true);
  BOOST_TEST(failed["data"].IsArray());

  auto retry = admin_request(endpoint, R"({"v":1,"kind":"admin","op":"retry-failed","params":{}})");
  BOOST_REQUIRE(retry.IsObject());
  BOOST_TEST(json::get_bool(retry, "ok").value_or(true) == false);
  BOOST_TEST(json::get_string(retry, "error").value_or(std::string("<absent>")) == std::string("read-only"));

  auto bad = admin_request(endpoint, "not json");
  BOOST_REQUIRE(bad.IsObject());
  BOOST_TEST(json::get_bool(bad, "ok").value_or(true) == false);
}

BOOST_AUTO_TEST_CASE(admin_lists_a_run_right_after_its_grant) {
  // The processor's hbs list no runs (set_runs is never called): the run shows from the grant, via the lease.
  const std::string world = create_world("Admin Runs World");
  auto p = ready_processor();
  send_message(world, "admin-run-1");
  auto work = p->next_work();
  BOOST_REQUIRE(work.has_value());
  p->accept(*work);
  const std::string dispatch_id = work->dispatch_id;
  BOOST_REQUIRE(p->wait_ctl([&](const aw::bus::BusMessage& m) {
                   const auto* g = std::get_if<aw::bus::Grant>(&m);
                   return g != nullptr && g->dispatch_id == dispatch_id;
                 }).has_value());
  auto processors = admin_request(gateway->env().at("AW_ADMIN_BIND"), R"({"v":1,"kind":"admin","op":"processors"})");
  BOOST_REQUIRE(processors.IsObject());
  BOOST_REQUIRE(processors["data"].IsArray());
  BOOST_REQUIRE(processors["data"].Size() == 1u);
  const json::Value& runs = processors["data"][0]["runs"];
  BOOST_REQUIRE(runs.IsArray());
  BOOST_REQUIRE(runs.Size() == 1u);
  BOOST_TEST(json::get_string(runs[0], "worldId").value_or("") == work->world_id);
  BOOST_TEST(json::get_string(runs[0], "runId").value_or("") == std::string("admin-run-1"));
  BOOST_TEST(json::get_int(runs[0], "attempt").value_or(-1) == 1);
  // The trigger's message event was persisted by the bus at the grant: counted on /metrics.
  BOOST_TEST(metric(R"(agentworld_events_persisted_total{event_type="message"})") == 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(endpoint_policy)

BOOST_AUTO_TEST_CASE(non_loopback_bind_without_insecure_exits_2) {
  auto [status, err] =
      run_gateway_until_exit({{"AW_BUS_WORK", "tcp://0.0.0.0:0"}, {"AW_TAP_BIND", ""}, {"AW_ADMIN_BIND", ""}});
  BOOST_TEST(status == 2);
  BOOST_TEST(err.find("AW_BUS_WORK") != std::string::npos, err);
  BOOST_TEST(err.find("AW_BUS_INSECURE") != std::string::npos, err);
}

BOOST_AUTO_TEST_CASE(malformed_curve_keys_exit_2_naming_the_variable) {
  const std::string secret = "not-a-z85-secret-key";
  auto [status, err] = run_gateway_until_exit({{"AW_BUS_CURVE_SECRET_KEY", secret}});
  BOOST_TEST(status == 2);
  BOOST_TEST(err.find("AW_BUS_CURVE_SECRET_KEY") != std::string::npos, err);
  BOOST_TEST(err.find("Z85") != std::string::npos, err);
  BOOST_TEST(err.find(secret) == std::string::npos, err);  // a secret is never echoed
  // A valid secret key (RFC 32's "HelloWorld" vector, four times) with a bad client list.
  auto [list_status, list_err] = run_gateway_until_exit(
      {{"AW_BUS_CURVE_SECRET_KEY", "HelloWorldHelloWorldHelloWorldHelloWorld"}, {"AW_BUS_CURVE_CLIENTS", "nope"}});
  BOOST_TEST(list_status == 2);
  BOOST_TEST(list_err.find("AW_BUS_CURVE_CLIENTS") != std::string::npos, list_err);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
