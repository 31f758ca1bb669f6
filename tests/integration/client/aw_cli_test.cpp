// aw-cli against the real gateway: one-shot commands (-c), --json frames, exit codes, and the interactive mode
// under a pseudo-terminal (typing /worlds, /new-chat, a message, Ctrl-D).
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <sstream>

#include "tests/integration/client/client_fixture.h"
#include "tests/integration/client/tool_process.h"

namespace aw::test {
namespace {

std::map<std::string, std::string> cli_env(const GatewayProcess& gw) {
  return {{"AW_URL", gw.url()}, {"AW_CLIENT_REQUEST_TIMEOUT_MS", "5000"}};
}

ToolResult cli(const GatewayProcess& gw, std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), AW_CLI_BINARY);
  return run_tool(args, cli_env(gw), Millis(20000), input);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(aw_cli)

BOOST_AUTO_TEST_CASE(one_shot_commands_print_results_and_exit_zero) {
  auto gw = start_gateway();
  auto r = cli(*gw, {"-c", "/create-world Cli World", "-c", "/create-agent alice openai gpt-4 Be brief", "-c",
                     "/agents", "-c", "/chats", "-c", "/worlds"});
  BOOST_TEST_REQUIRE(r.exit_status == 0, r.err);
  BOOST_TEST(r.out.find("World 'Cli World' (cli-world)") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("Agent 'alice' created") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("alice  alice  openai/gpt-4") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("New Chat") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("* cli-world  Cli World  (1 agents, 1 chats)") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("\033[") == std::string::npos);  // not a tty: no colours

  const std::string file = gw->temp_dir() + "/export.md";
  auto e = cli(*gw, {"-c", "/export " + file, "cli-world"});
  BOOST_TEST_REQUIRE(e.exit_status == 0, e.err);
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  BOOST_TEST(text.str().find("# World Export:") != std::string::npos);
  BOOST_TEST(text.str().find("alice") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_prints_every_frame_as_a_json_line) {
  auto gw = start_gateway();
  BOOST_TEST_REQUIRE(cli(*gw, {"-c", "/create-world Json"}).exit_status == 0);
  auto r = cli(*gw, {"--json", "-c", "/agents", "-c", "/queue", "json"});
  BOOST_TEST_REQUIRE(r.exit_status == 0, r.err);
  const auto lines = lines_of(r.out);
  BOOST_TEST_REQUIRE(lines.size() >= 4u, r.out);  // get-world, subscribed, list-agents, queue-status
  bool agents = false;
  for (const auto& line : lines) {
    auto doc = json::parse_untrusted(line);
    BOOST_TEST_REQUIRE(doc.is_ok(), line);
    BOOST_TEST(doc->IsObject());
    agents = agents || line.find("\"command\":\"list-agents\"") != std::string::npos;
  }
  BOOST_TEST(agents);
}

BOOST_AUTO_TEST_CASE(failures_give_non_zero_exit_codes) {
  auto gw = start_gateway();
  BOOST_TEST(cli(*gw, {"-c", "/agents", "no-such-world"}).exit_status == 1);
  BOOST_TEST_REQUIRE(cli(*gw, {"-c", "/create-world Codes"}).exit_status == 0);
  auto unknown = cli(*gw, {"-c", "/frobnicate", "codes"});
  BOOST_TEST(unknown.exit_status == 1);
  BOOST_TEST(unknown.out.find("unknown command /frobnicate") != std::string::npos);
  BOOST_TEST(cli(*gw, {"--bogus-option"}).exit_status == 2);
  auto down = run_tool({AW_CLI_BINARY, "-c", "/worlds"}, {{"AW_URL", "ws://127.0.0.1:1/"}}, Millis(20000));
  BOOST_TEST(down.exit_status == 2);
  BOOST_TEST(down.err.find("cannot connect") != std::string::npos);
  // send to a world that does not exist: refused at once.
  auto send = cli(*gw, {"send", "nowhere", "hi"});
  BOOST_TEST(send.exit_status == 1);
  BOOST_TEST(send.err.find("world_not_found") != std::string::npos, send.err);
}

BOOST_AUTO_TEST_CASE(stdin_lines_work_without_a_terminal) {
  auto gw = start_gateway();
  BOOST_TEST_REQUIRE(cli(*gw, {"-c", "/create-world Piped"}).exit_status == 0);
  auto r = cli(*gw, {"piped"}, "/create-agent bob\nhello from a pipe\n/queue\n");
  BOOST_TEST_REQUIRE(r.exit_status == 0, r.err);
  BOOST_TEST(r.out.find("Agent 'bob' created") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("piped: pending 1") != std::string::npos, r.out);  // the message was queued
}

BOOST_AUTO_TEST_CASE(interactive_session_under_a_terminal) {
  auto gw = start_gateway();
  BOOST_TEST_REQUIRE(cli(*gw, {"-c", "/create-world Tty World"}).exit_status == 0);
  auto env = cli_env(*gw);
  env["AW_CLI_HISTORY"] = "";  // not saved
  PtySession pty({AW_CLI_BINARY}, env);
  BOOST_TEST_REQUIRE(pty.ok());
  // No WORLD argument: aw-cli lists the worlds and asks.
  BOOST_TEST_REQUIRE(pty.wait_for("Pick a world", Millis(10000)), pty.screen());
  BOOST_TEST(pty.screen().find("1) tty-world") != std::string::npos);
  pty.type("1\r");
  BOOST_TEST_REQUIRE(pty.wait_for("tty-world> ", Millis(5000)), pty.screen());
  BOOST_TEST(pty.screen().find("\033[1m") != std::string::npos);  // a terminal gets colours

  std::size_t mark = pty.screen().size();
  pty.type("/worlds\r");
  BOOST_TEST_REQUIRE(pty.wait_for("Tty World  (0 agents, 1 chats)", Millis(5000), mark), pty.screen());

  // Line editing: type, move left, delete a character, insert, then history recall with Up.
  mark = pty.screen().size();
  pty.type(
      "/new-chxt\x1b[D\x7f"
      "a\x1b[C\r");  // "/new-chat"
  BOOST_TEST_REQUIRE(pty.wait_for("Using chat chat-", Millis(5000), mark), pty.screen());

  mark = pty.screen().size();
  pty.type("/create-agent carol\r");
  BOOST_TEST_REQUIRE(pty.wait_for("Agent 'carol' created", Millis(5000), mark), pty.screen());
  // The crud notice: the broadcast may reach the client just after the command's answer.
  BOOST_TEST(pty.wait_for("* agent 'carol' created", Millis(5000), mark), pty.screen());

  // A message is queued (no processor runs it here); Ctrl-C asks the gateway to cancel it.
  mark = pty.screen().size();
  pty.type("hello agents\r");
  BOOST_TEST_REQUIRE(pty.wait_for("[queued] msg-", Millis(5000), mark), pty.screen());
  pty.type("\x03");
  BOOST_TEST_REQUIRE(pty.wait_for("Cancel requested for msg-", Millis(5000), mark), pty.screen());
  mark = pty.screen().size();
  pty.type("\x1b[A\x1b[A\r");  // Up x2: "/create-agent carol" again -> already exists
  BOOST_TEST_REQUIRE(pty.wait_for("already exists", Millis(5000), mark), pty.screen());

  pty.type("\x04");  // Ctrl-D on an empty line quits
  BOOST_TEST(pty.wait_exit(Millis(5000)) == 0);
}

BOOST_AUTO_TEST_CASE(every_slash_command_under_a_terminal_and_history_across_sessions) {
  auto gw = start_gateway();
  BOOST_TEST_REQUIRE(cli(*gw, {"-c", "/create-world Slash", "-c", "/create-agent dora"}).exit_status == 0);
  const std::string history = gw->temp_dir() + "/history";
  auto env = cli_env(*gw);
  env["AW_CLI_HISTORY"] = history;
  const std::string exported = gw->temp_dir() + "/slash.md";
  {
    PtySession pty({AW_CLI_BINARY, "slash"}, env);
    BOOST_TEST_REQUIRE(pty.ok());
    BOOST_TEST_REQUIRE(pty.wait_for("slash> ", Millis(10000)), pty.screen());
    // Each command and the text it must print.
    const std::vector<std::pair<std::string, std::string>> steps = {
        {"/help", "/rename-chat NAME"},
        {"/world", "World slash: Slash"},
        {"/agents", "openai/gpt-4  calls 0"},
        {"/agent dora", "Agent dora (dora)"},
        {"/create-agent eve", "Agent 'eve' created"},
        {"/delete-agent eve", "Agent 'eve' deleted"},
        {"/chats", "* chat-"},
        {"/new-chat", "Using chat chat-"},
        {"/rename-chat Second", "Chat renamed to 'Second'"},
        {"/chats", "Second"},
        {"/queue", "slash: pending 0, processing 0, failed 0"},
        {"/cancel", "Nothing is running"},
        {"/export " + exported, "bytes to " + exported},
        {"/worlds", "* slash  Slash"},
    };
    for (const auto& [command, expected] : steps) {
      const std::size_t mark = pty.screen().size();
      pty.type(command + "\r");
      BOOST_TEST_REQUIRE(pty.wait_for(expected, Millis(5000), mark), command << " -> " << pty.screen().substr(mark));
    }
    // /select-chat with the id /chats listed (without a processor the chat stays empty, so /new-chat kept it).
    const std::size_t chats_at = pty.screen().rfind("* chat-");
    BOOST_TEST_REQUIRE(chats_at != std::string::npos, pty.screen());
    const std::string chat = pty.screen().substr(chats_at + 2, pty.screen().find(' ', chats_at + 2) - chats_at - 2);
    std::size_t mark = pty.screen().size();
    pty.type("/select-chat " + chat + "\r");
    BOOST_TEST_REQUIRE(pty.wait_for("Using chat " + chat, Millis(5000), mark), pty.screen().substr(mark));
    mark = pty.screen().size();
    pty.type("/quit\r");
    BOOST_TEST(pty.wait_exit(Millis(5000)) == 0);
  }
  std::ifstream exported_file(exported);
  BOOST_TEST(exported_file.good());

  // The history was saved: a new session recalls the last line with Up, and AW_CLI_HISTORY_SIZE bounds the file.
  std::ifstream saved(history);
  std::stringstream saved_text;
  saved_text << saved.rdbuf();
  BOOST_TEST(saved_text.str().find("/rename-chat Second\n") != std::string::npos, saved_text.str());
  env["AW_CLI_HISTORY_SIZE"] = "3";
  PtySession again({AW_CLI_BINARY, "slash"}, env);
  BOOST_TEST_REQUIRE(again.wait_for("slash> ", Millis(10000)), again.screen());
  std::size_t mark = again.screen().size();
  again.type("\x1b[A\x1b[A\r");  // Up x2: "/select-chat <first chat>" from the previous session
  BOOST_TEST_REQUIRE(again.wait_for("Using chat chat-", Millis(5000), mark), again.screen().substr(mark));
  mark = again.screen().size();
  again.type("/queue\r");
  BOOST_TEST_REQUIRE(again.wait_for("slash: pending 0", Millis(5000), mark), again.screen().substr(mark));
  again.type("\x04");
  BOOST_TEST(again.wait_exit(Millis(5000)) == 0);
  std::ifstream bounded(history);
  const auto lines = lines_of(std::string(std::istreambuf_iterator<char>(bounded), {}));
  BOOST_TEST_REQUIRE(lines.size() == 3u);
  BOOST_TEST(lines.back() == "/queue");
  BOOST_TEST(lines[0] == "/quit");  // /select-chat ... was re-run, so: /quit, /select-chat ..., /queue
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
