// End-to-end tests of the bench programs: a real ws_echo_baseline process on a loopback port the OS picks, and
// real aw_load runs against it, checked through the JSON lines they print.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "bench/tests/child_process.h"
#include "common/json.h"

#ifndef AW_ECHO_BINARY
#error "AW_ECHO_BINARY must name the ws_echo_baseline binary"
#endif
#ifndef AW_LOAD_BINARY
#error "AW_LOAD_BINARY must name the aw_load binary"
#endif

namespace aw::bench::test {
namespace {

using Clock = std::chrono::steady_clock;

// Polls for the echo server's port file (no notification exists for a file appearing), with a deadline.
std::optional<int> wait_for_port(const std::filesystem::path& file, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    std::ifstream in(file);
    int port = 0;
    if (in >> port && port > 0) return port;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

json::Document parse_line(const std::string& out) {
  const auto end = out.find('\n');
  auto doc = json::parse_untrusted(out.substr(0, end));
  BOOST_REQUIRE_MESSAGE(doc.is_ok(), "aw_load printed no JSON line: " + out);
  return std::move(doc).value();
}

struct EchoServer {
  EchoServer() {
    std::string pattern = (std::filesystem::temp_directory_path() / "aw-bench-e2e.XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    auto child = ChildProcess::spawn({AW_ECHO_BINARY, "--port", "0", "--port-file", (dir / "port").string()},
                                     (dir / "echo.log").string());
    BOOST_REQUIRE_MESSAGE(child.is_ok(), child.status().message());
    echo = std::move(child).value();
    const auto p = wait_for_port(dir / "port", Millis(10000));
    BOOST_REQUIRE_MESSAGE(p.has_value(), "ws_echo_baseline wrote no port file");
    port = *p;
  }
  ~EchoServer() {
    echo.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  CapturedRun load(std::vector<std::string> mode_args) {
    std::vector<std::string> argv{AW_LOAD_BINARY, "--port", std::to_string(port),       "--label",
                                  "echo",         "--pid",  std::to_string(echo->pid())};
    argv.insert(argv.end(), mode_args.begin(), mode_args.end());
    auto run = run_captured(argv, Millis(60000));
    BOOST_REQUIRE_MESSAGE(run.is_ok(), run.status().message());
    return std::move(run).value();
  }

  std::filesystem::path dir;
  std::unique_ptr<ChildProcess> echo;
  int port = 0;
};

BOOST_FIXTURE_TEST_SUITE(bench_tools, EchoServer)

BOOST_AUTO_TEST_CASE(rtt_against_echo_reports_every_round_trip) {
  const CapturedRun run = load({"rtt", "--requests", "300", "--warmup", "20"});
  BOOST_TEST(run.exit_status == 0);
  const json::Document line = parse_line(run.out);
  BOOST_TEST(json::get_string(line, "mode").value_or("") == "rtt");
  BOOST_TEST(json::get_string(line, "target").value_or("") == "echo");
  BOOST_TEST(json::get_bool(line, "completed").value_or(false));
  BOOST_TEST(json::get_int(line, "samples").value_or(0) == 300);
  BOOST_TEST(json::get_int(line, "failures").value_or(-1) == 0);
  const double p50 = json::get_number(line, "p50_us").value_or(0);
  BOOST_TEST(p50 > 0.0);
  BOOST_TEST(json::get_number(line, "p99_us").value_or(0) >= p50);
  BOOST_TEST(json::get_number(line, "max_us").value_or(0) >= json::get_number(line, "p99_us").value_or(0));
}

BOOST_AUTO_TEST_CASE(connect_opens_all_and_reads_target_rss) {
  const CapturedRun run = load({"connect", "--clients", "64", "--hold-ms", "0"});
  BOOST_TEST(run.exit_status == 0);
  const json::Document line = parse_line(run.out);
  BOOST_TEST(json::get_string(line, "client").value_or("") == "raw");
  BOOST_TEST(json::get_int(line, "opened").value_or(0) == 64);
  BOOST_TEST(json::get_int(line, "failed").value_or(-1) == 0);
  BOOST_TEST(json::get_bool(line, "completed").value_or(false));
  BOOST_TEST(json::get_number(line, "total_ms").value_or(0) > 0.0);
  BOOST_TEST(json::get_int(line, "rss_before_kib").value_or(0) > 0);
  BOOST_TEST(json::find(line, "rss_per_conn_bytes") != nullptr);
  BOOST_TEST(json::get_int(line, "still_open_after_close").value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(connect_with_the_websocketpp_client) {
  const CapturedRun run = load({"connect", "--client", "websocketpp", "--clients", "16", "--hold-ms", "0"});
  BOOST_TEST(run.exit_status == 0);
  const json::Document line = parse_line(run.out);
  BOOST_TEST(json::get_string(line, "client").value_or("") == "websocketpp");
  BOOST_TEST(json::get_int(line, "opened").value_or(0) == 16);
  BOOST_TEST(json::get_int(line, "still_open_after_close").value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(throughput_counts_answers_in_the_window) {
  const CapturedRun run =
      load({"throughput", "--clients", "4", "--window", "4", "--seconds", "0.3", "--warmup-ms", "100"});
  BOOST_TEST(run.exit_status == 0);
  const json::Document line = parse_line(run.out);
  BOOST_TEST(json::get_int(line, "answers").value_or(0) > 0);
  BOOST_TEST(json::get_number(line, "answers_per_s").value_or(0) > 0.0);
  BOOST_TEST(json::get_number(line, "seconds").value_or(0) >= 0.3);
  BOOST_TEST(json::get_int(line, "failures").value_or(-1) == 0);
  BOOST_TEST(json::get_int(line, "send_failures").value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(echo_server_stops_cleanly_on_sigterm) {
  auto status = echo->terminate(Millis(10000));
  BOOST_REQUIRE_MESSAGE(status.is_ok(), status.status().message());
  BOOST_TEST(status.value() == 0);
}

BOOST_AUTO_TEST_CASE(unreachable_target_fails_with_a_result_line) {
  // A bound socket that never listens: connecting to its port is refused, and nobody else can take the port.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  BOOST_REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  BOOST_REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  const int refused_port = ntohs(addr.sin_port);

  auto run = run_captured(
      {AW_LOAD_BINARY, "--port", std::to_string(refused_port), "connect", "--clients", "3", "--hold-ms", "0"},
      Millis(30000));
  ::close(fd);
  BOOST_REQUIRE_MESSAGE(run.is_ok(), run.status().message());
  BOOST_TEST(run.value().exit_status == 1);
  const json::Document line = parse_line(run.value().out);
  BOOST_TEST(json::get_int(line, "failed").value_or(0) == 3);
  BOOST_TEST(json::get_int(line, "opened").value_or(-1) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::bench::test
