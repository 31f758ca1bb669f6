// aw_bus_latency: send -> final `sse end` (and `completed` status) through the whole bus, against a running
// aw-gateway with aw-processors and an instant aw-fake-llm behind it (bench/bus_run.sh starts them all).
// One JSON line on stdout (bus_latency_mode.h).
//
//   aw_bus_latency --port PORT [--worlds 1] [--messages 500] [--warmup 50] [--tag TEXT] [--timeout-s 120]
//
// Exit status: 0 when every message completed, 1 otherwise (the JSON line is printed either way), 2 for bad
// arguments.
// Thread-safety: main thread only; the mode owns its worker thread.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "bench/lib/bus_latency_mode.h"
#include "bench/lib/target_args.h"

int main(int argc, char** argv) {
  aw::bench::BusLatencyOptions options;
  aw::bench::TargetArgs target;
  int timeout_s = 120;
  CLI::App app{"Message -> sse end -> completed latency through aw-gateway, the bus and aw-processor"};
  target.add_to(app, options.label, "aw-gateway");
  app.add_option("--tag", options.tag, "Free text echoed as \"tag\" (e.g. the processor count)");
  app.add_option("--worlds", options.worlds, "Worlds in parallel, one message in flight each");
  app.add_option("--messages", options.messages, "Recorded messages over all worlds");
  app.add_option("--warmup", options.warmup, "Completed messages before recording starts");
  app.add_option("--provider", options.provider, "Agent provider (create-agent)");
  app.add_option("--model", options.model, "Agent model (create-agent)");
  app.add_option("--timeout-s", timeout_s, "Deadline for the whole run, setup included");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  const std::optional<std::string> uri = target.uri("aw_bus_latency");
  if (!uri) return 2;
  options.uri = *uri;
  options.timeout = std::chrono::seconds(timeout_s);
  return aw::bench::run_to_exit_status("aw_bus_latency", [&] { return aw::bench::run_bus_latency(options); });
}
