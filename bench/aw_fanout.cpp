// aw_fanout: fan-out to many WebSocket subscribers of one world (issue #4: 1000 subscribers, >= 200k deliveries/s),
// against a running aw-gateway with an aw-processor and a scripted aw-fake-llm behind it, or against
// ws_echo_baseline --broadcast as the raw limit (bench/bus_run.sh starts them all). One JSON line on stdout
// (fanout_mode.h).
//
//   aw_fanout --port PORT [--clients 1000] [--threads 1] [--echo --events 500] [--content fanout-burst]
//             [--label TEXT] [--timeout-s 120]
//
// It raises its own open-file limit (RLIMIT_NOFILE) to clients + 64 when the hard limit allows; the server needs
// the same (bus_run.sh runs `ulimit -n` before starting it).
// Exit status: 0 when every connection saw the end, 1 otherwise (the JSON line is printed either way), 2 for bad
// arguments or an open-file limit too low for --clients.
// Thread-safety: main thread only; the mode owns its worker threads.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "bench/lib/fanout_mode.h"
#include "bench/lib/target_args.h"

int main(int argc, char** argv) {
  aw::bench::FanoutOptions options;
  aw::bench::TargetArgs target;
  int timeout_s = 120;
  CLI::App app{"Fan-out of one world's events to many WebSocket subscribers (aw-gateway or ws_echo_baseline)"};
  target.add_to(app, options.label, "Server");
  app.add_flag("--echo", options.echo, "The target is ws_echo_baseline --broadcast (no commands, no subscribe)");
  app.add_option("--clients", options.clients, "Subscribers (connection 0 included)");
  app.add_option("--threads", options.threads, "Client worker threads");
  app.add_option("--events", options.events, "--echo: chunk frames to broadcast before the end frame");
  app.add_option("--content", options.content, "Gateway: the message content the fake LLM answers in many chunks");
  app.add_option("--provider", options.provider, "Agent provider (create-agent)");
  app.add_option("--model", options.model, "Agent model (create-agent)");
  app.add_option("--timeout-s", timeout_s, "Deadline for the whole run, connects and setup included");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  const std::optional<std::string> uri = target.uri("aw_fanout");
  if (!uri) return 2;
  options.uri = *uri;
  options.timeout = std::chrono::seconds(timeout_s);
  const std::size_t wanted_fds = options.clients + 64;
  if (aw::bench::raise_fd_limit(wanted_fds) < wanted_fds) {
    std::fprintf(stderr, "aw_fanout: the open-file limit is below %zu (raise the hard limit: ulimit -Hn)\n",
                 wanted_fds);
    return 2;
  }

  return aw::bench::run_to_exit_status("aw_fanout", [&] { return aw::bench::run_fanout(options); });
}
