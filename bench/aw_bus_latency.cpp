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

int main(int argc, char** argv) {
  aw::bench::BusLatencyOptions options;
  std::string url;
  std::uint16_t port = 0;
  int timeout_s = 120;
  CLI::App app{"Message -> sse end -> completed latency through aw-gateway, the bus and aw-processor"};
  app.add_option("--url", url, "aw-gateway URI, e.g. ws://127.0.0.1:3001/");
  app.add_option("--port", port, "Shorthand for --url ws://127.0.0.1:<port>/");
  app.add_option("--label", options.label, "Name of the target in the result line");
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
  if (url.empty() && port == 0) {
    std::fprintf(stderr, "aw_bus_latency: give --url or --port\n");
    return 2;
  }
  options.uri = url.empty() ? "ws://127.0.0.1:" + std::to_string(port) + "/" : url;
  options.timeout = std::chrono::seconds(timeout_s);

  aw::Status status;
  try {
    status = aw::bench::run_bus_latency(options);
  } catch (const std::exception& e) {
    status = aw::Status::internal(e.what());  // websocketpp and Asio may throw
  }
  if (!status.is_ok()) {
    std::fprintf(stderr, "aw_bus_latency: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}
