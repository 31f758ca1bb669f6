// End to end with the real bus: aw-gateway + aw-processor (bus worker) + aw-fake-llm. aw-cli send prints the
// agent's reply and exits 0 on completed; awctl reads the real admin endpoint and the tap.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <set>
#include <thread>

#include "client/client.h"
#include "tests/integration/client/client_fixture.h"
#include "tests/integration/client/tool_process.h"
#include "tests/integration/processor/fake_llm_process.h"
#include "tests/support/processor_process.h"
#include "tests/support/tcp_socket.h"

namespace aw::test {
namespace {

struct Stack {
  std::unique_ptr<GatewayProcess> gw;
  std::unique_ptr<FakeLlmProcess> llm;
  std::unique_ptr<ProcessorProcess> proc;
};

Stack start_stack(const std::string& script = "", EnvMap gateway_env = {}) {
  Stack s;
  s.gw = start_gateway(std::move(gateway_env));
  FakeLlmOptions lo;
  lo.binary = AW_FAKE_LLM_BINARY;
  lo.script_json = script;
  auto llm = FakeLlmProcess::start(lo);
  BOOST_TEST_REQUIRE(llm.is_ok(), llm.status().message());
  s.llm = std::move(llm).value();
  ProcessorOptions po;
  po.binary = AW_PROCESSOR_BINARY;
  po.env = {{"AW_BUS_WORK", s.gw->env().at("AW_BUS_WORK")},
            {"AW_BUS_EVENTS", s.gw->env().at("AW_BUS_EVENTS")},
            {"AW_BUS_CTL", s.gw->env().at("AW_BUS_CTL")},
            {"OPENAI_API_KEY", "test-key"},
            {"AW_OPENAI_BASE_URL", s.llm->base_url() + "/v1"}};
  auto proc = ProcessorProcess::start(po);
  BOOST_TEST_REQUIRE(proc.is_ok(), proc.status().message());
  s.proc = std::move(proc).value();
  return s;
}

ToolResult cli(const GatewayProcess& gw, std::vector<std::string> args) {
  args.insert(args.begin(), AW_CLI_BINARY);
  return run_tool(args, {{"AW_URL", gw.url()}}, Millis(30000));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(end_to_end)

BOOST_AUTO_TEST_CASE(aw_cli_send_prints_the_reply_and_exits_zero_on_completed) {
  Stack s = start_stack();
  auto setup = cli(*s.gw, {"-c", "/create-world E2E", "-c", "/create-agent ada openai gpt-4"});
  BOOST_TEST_REQUIRE(setup.exit_status == 0, setup.out + setup.err);
  auto r = cli(*s.gw, {"--timeout-ms", "20000", "send", "e2e", "hello there"});
  BOOST_TEST(r.exit_status == 0, r.out + r.err + s.proc->stderr_text());
  BOOST_TEST(r.out.find("ada: Echo: hello there") != std::string::npos, r.out);

  auto j = cli(*s.gw, {"--json", "--timeout-ms", "20000", "send", "e2e", "again"});
  BOOST_TEST(j.exit_status == 0, j.err);
  BOOST_TEST(j.out.find("\"status\":\"completed\"") != std::string::npos, j.out);
  BOOST_TEST(j.out.find("\"type\":\"chunk\"") != std::string::npos, j.out);
}

BOOST_AUTO_TEST_CASE(awctl_reads_the_real_admin_endpoint_and_tap) {
  Stack s = start_stack();
  const std::map<std::string, std::string> env = {{"AW_ADMIN_URL", s.gw->env().at("AW_ADMIN_BIND")},
                                                  {"AW_TAP_URL", s.gw->env().at("AW_TAP_BIND")}};
  auto procs = run_tool({AW_AWCTL_BINARY, "processors"}, env, Millis(10000));
  BOOST_TEST_REQUIRE(procs.exit_status == 0, procs.err);
  BOOST_TEST(procs.out.find("FREESLOTS") != std::string::npos, procs.out);
  BOOST_TEST(procs.out.find(s.proc->processor_id()) != std::string::npos, procs.out);

  BOOST_TEST_REQUIRE(cli(*s.gw, {"-c", "/create-world Tapped"}).exit_status == 0);
  ToolResult tapped;
  std::atomic<bool> tap_done{false};
  std::thread tap([&] {
    tapped = run_tool({AW_AWCTL_BINARY, "--count", "1", "--duration-ms", "15000", "tap", "tapped"}, env, Millis(20000));
    tap_done = true;
  });
  // The tap publishes only once awctl's subscription reached the gateway (no way to see that from here): each
  // create-agent is a real round trip, repeated until awctl printed a frame and exited.
  for (int i = 0; i < 40 && !tap_done; ++i) (void)cli(*s.gw, {"-c", "/create-agent tap" + std::to_string(i), "tapped"});
  tap.join();
  BOOST_TEST(tapped.exit_status == 0);
  BOOST_TEST(tapped.out.find("\"worldId\":\"tapped\"") != std::string::npos, tapped.out);

  auto queue = run_tool({AW_AWCTL_BINARY, "--json", "queue"}, env, Millis(10000));
  BOOST_TEST(queue.exit_status == 0, queue.err);
  auto retry = run_tool({AW_AWCTL_BINARY, "retry", "msg-x"}, env, Millis(10000));
  BOOST_TEST(retry.exit_status == 1);
  BOOST_TEST(retry.err.find("read-only") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(gateway_restart_while_an_agent_replies_loses_and_repeats_nothing) {
  // A slow reply (12 chunks, 150 ms apart) so that the restart lands in the middle of it.
  Stack s = start_stack(
      R"({"rules":[{"match":{"any":true},"reply":"one two three four five six seven eight nine ten eleven twelve",)"
      R"("delay_ms_per_chunk":150}]})");
  BOOST_TEST_REQUIRE(cli(*s.gw, {"-c", "/create-world Live", "-c", "/create-agent ada openai gpt-4"}).exit_status == 0);
  Recorder persisted;
  Recorder chunks;
  client::Handlers h;
  auto keep = [&](const client::ServerFrame& f) {
    if (f.seq) persisted.add(f);
  };
  h.on_crud = keep;
  h.on_message = keep;
  h.on_world = keep;
  h.on_system = keep;
  h.on_sse = [&](const client::ServerFrame& f) {
    if (f.seq) persisted.add(f);
    if (f.payload_string("type") == std::optional<std::string>("chunk")) chunks.add(f);
  };
  auto options = options_for(*s.gw);
  options.reconnect_initial = Millis(300);
  options.reconnect_max = Millis(600);
  client::Client watcher(options, std::move(h));
  BOOST_TEST_REQUIRE(watcher.start(Millis(5000)).is_ok());
  BOOST_TEST_REQUIRE(watcher.subscribe("live", std::nullopt).get().is_ok());
  const std::string id = client::new_client_message_id();
  BOOST_TEST_REQUIRE(watcher.send_message("live", std::nullopt, id, "count to twelve").get().is_ok());
  BOOST_TEST_REQUIRE(chunks.wait([](const auto& v) { return v.size() >= 2; }, Millis(15000)));

  BOOST_TEST_REQUIRE(s.gw->restart().is_ok());
  watcher.set_url(s.gw->url());
  // The agent's reply message is persisted by the commit: it arrives live or by replay, exactly once.
  auto is_reply = [](const client::ServerFrame& f) {
    return f.type == "event" && f.event_type == "message" &&
           f.payload_string("sender") == std::optional<std::string>("ada");
  };
  BOOST_TEST_REQUIRE(persisted.wait(
                         [&](const auto& v) {
                           for (const auto& f : v) {
                             if (is_reply(f)) return true;
                           }
                           return false;
                         },
                         Millis(30000)),
                     s.proc->stderr_text());
  // One more persisted frame after that proves the client is live again; then check the whole sequence.
  BOOST_TEST_REQUIRE(cli(*s.gw, {"-c", "/create-agent late", "live"}).exit_status == 0);
  // Any position: the chat's title job may add its own crud frame around this one.
  auto is_late_agent = [](const client::ServerFrame& f) {
    return f.type == "crud" && f.payload_string("entityId") == std::optional<std::string>("late");
  };
  BOOST_TEST_REQUIRE(persisted.wait([&](const auto& v) { return std::any_of(v.begin(), v.end(), is_late_agent); }));
  std::set<std::int64_t> seqs;
  std::int64_t last = 0;
  int replies = 0;
  for (const auto& f : persisted.frames()) {
    BOOST_TEST(*f.seq > last);  // ascending, so no seq twice
    last = *f.seq;
    replies += is_reply(f) ? 1 : 0;
  }
  BOOST_TEST(replies == 1);
}

BOOST_AUTO_TEST_CASE(aw_cli_reloads_the_chat_when_the_gateway_cannot_replay) {
  // A fixed port (the restarted gateway must be where aw-cli reconnects), a replay cap of 1 (a message and its
  // reply are more than that) and a short shutdown grace (aw-cli is stopped and does not answer the close).
  Stack s = start_stack(
      "",
      {{"WS_PORT", std::to_string(pick_free_port())}, {"AW_REPLAY_MAX_EVENTS", "1"}, {"AW_SHUTDOWN_GRACE_MS", "500"}});
  BOOST_TEST_REQUIRE(cli(*s.gw, {"-c", "/create-world Reload", "-c", "/create-agent ada openai gpt-4"}).exit_status ==
                     0);
  PtySession pty({AW_CLI_BINARY, "reload"}, {{"AW_URL", s.gw->url()},
                                             {"AW_CLIENT_RECONNECT_INITIAL_MS", "100"},
                                             {"AW_CLIENT_RECONNECT_MAX_MS", "500"},
                                             {"AW_CLI_HISTORY", ""},
                                             {"NO_COLOR", "1"}});
  BOOST_TEST_REQUIRE(pty.ok());
  BOOST_TEST_REQUIRE(pty.wait_for("reload> ", Millis(10000)), pty.screen());
  // aw-cli misses the restart and the exchange that follows: it is stopped until both are over.
  BOOST_TEST_REQUIRE(kill(pty.pid(), SIGSTOP) == 0);
  BOOST_TEST_REQUIRE(s.gw->restart().is_ok());
  auto sent = cli(*s.gw, {"--timeout-ms", "20000", "send", "reload", "hello during the outage"});
  BOOST_TEST(kill(pty.pid(), SIGCONT) == 0);
  BOOST_TEST_REQUIRE(sent.exit_status == 0, sent.out + sent.err + s.proc->stderr_text());
  const std::size_t mark = pty.screen().size();
  BOOST_TEST_REQUIRE(pty.wait_for("* reloaded: last 2 of 2 message(s)", Millis(15000), mark), pty.screen());
  const std::string after = pty.screen().substr(mark);
  BOOST_TEST(after.find("were missed and cannot be replayed: reloading") != std::string::npos, after);
  BOOST_TEST(after.find("1 agent(s)") != std::string::npos, after);
  BOOST_TEST(after.find("[human] hello during the outage") != std::string::npos, after);
  BOOST_TEST(after.find("Echo: hello during the outage") != std::string::npos, after);
  pty.type("/quit\r");
  BOOST_TEST(pty.wait_exit(Millis(5000)) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
