// The load modes of aw_load. Each runs against one target (aw-gateway or ws_echo_baseline), prints one JSON
// line with its result on stdout (JsonLine), and returns a Status: not ok when the run could not produce a
// meaningful number (target unreachable, a deadline passed, connections failed).
// Thread-safety: call from the main thread, one mode at a time; each mode owns its ClientPool.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace aw::bench {

struct Target {
  std::string uri;       // ws://127.0.0.1:<port>/
  std::string label;     // echoed as "target" in every result line ("gateway", "echo", ...)
  std::int64_t pid = 0;  // the server's process id, for RSS; 0 = do not measure memory
};

// connect: open `clients` connections at once and time until the last handshake completes; then keep them
// idle for `hold` and report the target's VmRSS growth per connection. Two clients: `raw` (run_raw_connect:
// non-blocking sockets on one epoll thread, a precomputed upgrade request, the 101 answers checked; the default,
// cheap enough that the time is the server's) and `websocketpp` (run_connect: the ClientPool, which resolves the
// host and parses each handshake with websocketpp, and costs about as much CPU per connection as the server).
struct ConnectOptions {
  std::size_t clients = 1000;
  std::size_t threads = 1;  // websocketpp client only
  std::string client = "raw";
  std::chrono::milliseconds hold{500};
  std::chrono::milliseconds timeout{30000};
};
Status run_connect(const Target& target, const ConnectOptions& options);
Status run_raw_connect(const Target& target, const ConnectOptions& options);

// rtt: `requests` sequential round trips of one command on one connection, after `warmup` unrecorded ones;
// reports p50/p90/p99/max in microseconds.
struct RttOptions {
  std::size_t requests = 10000;
  std::size_t warmup = 1000;
  std::string command = "list-worlds";
  std::chrono::milliseconds timeout{60000};
};
Status run_rtt(const Target& target, const RttOptions& options);

// seed: creates `worlds` worlds named bench-world-<i> (sequential create-world commands), so that list-worlds
// has rows to read. Only meaningful against aw-gateway.
struct SeedOptions {
  std::size_t worlds = 1;
  std::chrono::milliseconds timeout{30000};
};
Status run_seed(const Target& target, const SeedOptions& options);

// throughput: `clients` connections each keep `window` commands in flight (a new one for every answer);
// answers are counted over `duration` after a `warmup` that is not counted.
struct ThroughputOptions {
  std::size_t clients = 50;
  std::size_t window = 16;
  std::size_t threads = 1;
  std::chrono::milliseconds duration{5000};
  std::chrono::milliseconds warmup{1000};
  std::string command = "list-worlds";
  std::chrono::milliseconds connect_timeout{30000};
};
Status run_throughput(const Target& target, const ThroughputOptions& options);

}  // namespace aw::bench
