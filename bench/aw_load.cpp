// aw_load: load generator for aw-gateway and ws_echo_baseline. One JSON line per result on stdout.
//
//   aw_load --url ws://127.0.0.1:PORT/ [--label gateway] [--pid PID] <mode> [mode options]
//   modes:  connect    --clients 1000 [--hold-ms 500] [--client raw|websocketpp] [--threads 1]
//                      time to open N, RSS per idle connection (raw: epoll + precomputed handshakes, the default)
//           rtt        --requests 10000 [--warmup 1000] [--command list-worlds]   sequential round trips, µs
//           throughput --clients 50 --seconds 5 [--window 16] [--warmup-ms 1000] [--threads 1]   answers/s
//           seed       --worlds 1                                           create-world bench-world-<i> (gateway)
//
// The client is websocketpp on standalone Asio (lock-free single-thread config), so it costs about what the
// server under test costs per frame; with one worker thread it takes one of the machine's cores and leaves the
// other to the (single-threaded) server. Exit status: 0 when the run produced its number, 1 when it did not (the
// JSON line is printed either way), 2 for bad arguments.
// Thread-safety: main thread only; the modes own their worker threads.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "bench/lib/load_modes.h"
#include "bench/lib/target_args.h"

int main(int argc, char** argv) {
  aw::bench::Target target;
  target.label = "target";
  aw::bench::TargetArgs target_args;

  CLI::App app{"Load generator for aw-gateway and ws_echo_baseline (one JSON line per result)"};
  app.require_subcommand(1);
  target_args.add_to(app, target.label, "Target");
  app.add_option("--pid", target.pid, "Target process id, for VmRSS (connect mode)");

  aw::bench::ConnectOptions connect;
  int hold_ms = static_cast<int>(connect.hold.count());
  auto* connect_cmd = app.add_subcommand("connect", "Open N connections at once; time them; RSS per idle connection");
  connect_cmd->add_option("--clients", connect.clients, "Connections to open");
  connect_cmd->add_option("--threads", connect.threads, "Client worker threads (websocketpp client)");
  connect_cmd->add_option("--client", connect.client, "raw (epoll, precomputed handshakes) or websocketpp")
      ->check(CLI::IsMember({"raw", "websocketpp"}));
  connect_cmd->add_option("--hold-ms", hold_ms, "Idle time before the second RSS reading");

  aw::bench::RttOptions rtt;
  auto* rtt_cmd = app.add_subcommand("rtt", "Sequential command round trips on one connection");
  rtt_cmd->add_option("--requests", rtt.requests, "Recorded round trips");
  rtt_cmd->add_option("--warmup", rtt.warmup, "Unrecorded round trips before them");
  rtt_cmd->add_option("--command", rtt.command, "Command name sent in payload.command");

  aw::bench::ThroughputOptions tput;
  double seconds = 5;
  int warmup_ms = static_cast<int>(tput.warmup.count());
  auto* tput_cmd = app.add_subcommand("throughput", "Pipelined commands from many clients; answers per second");
  tput_cmd->add_option("--clients", tput.clients, "Connections");
  tput_cmd->add_option("--window", tput.window, "Commands in flight per connection");
  tput_cmd->add_option("--seconds", seconds, "Measured duration");
  tput_cmd->add_option("--warmup-ms", warmup_ms, "Unmeasured time before it");
  tput_cmd->add_option("--threads", tput.threads, "Client worker threads");
  tput_cmd->add_option("--command", tput.command, "Command name sent in payload.command");

  aw::bench::SeedOptions seed;
  auto* seed_cmd = app.add_subcommand("seed", "Create worlds bench-world-0.. so list-worlds has rows (gateway only)");
  seed_cmd->add_option("--worlds", seed.worlds, "Worlds to create");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  const std::optional<std::string> uri = target_args.uri("aw_load");
  if (!uri) return 2;
  target.uri = *uri;
  connect.hold = std::chrono::milliseconds(hold_ms);
  tput.duration = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  tput.warmup = std::chrono::milliseconds(warmup_ms);

  return aw::bench::run_to_exit_status("aw_load", [&]() -> aw::Status {
    if (connect_cmd->parsed()) {
      return connect.client == "raw" ? aw::bench::run_raw_connect(target, connect)
                                     : aw::bench::run_connect(target, connect);
    }
    if (rtt_cmd->parsed()) return aw::bench::run_rtt(target, rtt);
    if (tput_cmd->parsed()) return aw::bench::run_throughput(target, tput);
    return aw::bench::run_seed(target, seed);  // require_subcommand(1): the only one left
  });
}
