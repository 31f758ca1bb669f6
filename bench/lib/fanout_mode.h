// The fan-out mode of aw_fanout (issue #4: 1000 subscribers of one world, target >= 200k deliveries/s).
//
// Against aw-gateway: `clients` WebSocket connections (ClientPool, loopback); connection 0 creates a world with one
// agent, every connection subscribes to it, then connection 0 sends one message whose content (`content`) the
// fake LLM's script answers with many one-character chunks. Each chunk reaches the gateway as one bus event and is
// broadcast to every subscriber. A connection is done at the run's `sse end` event.
// Against ws_echo_baseline --broadcast (the raw limit): every connection is open, then connection 0 sends `events`
// frames shaped like the gateway's chunk events and one `sse end`-shaped frame; the server sends each to every
// connection.
// Deliveries = every frame received by every connection from the message (or the first broadcast frame) up to and
// including its `sse end`. deliveries_per_s = deliveries / (last connection's `sse end` - first delivery anywhere).
// Prints one JSON line (JsonLine).
// Thread-safety: call from the main thread; it owns its ClientPool and worker threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "common/status.h"

namespace aw::bench {

struct FanoutOptions {
  std::string uri;                       // ws://127.0.0.1:<port>/
  std::string label = "gateway";         // "target" in the result line
  bool echo = false;                     // the target is ws_echo_baseline --broadcast
  std::size_t clients = 1000;            // subscribers (connection 0 included)
  std::size_t threads = 1;               // client worker threads
  std::size_t events = 500;              // echo: chunk frames connection 0 sends (gateway: the script decides)
  std::string content = "fanout-burst";  // gateway: the message content
  std::string provider = "openai-compatible";
  std::string model = "fake-model";
  std::chrono::milliseconds timeout{120000};  // for the whole run, connects and setup included
};

// Not ok when a connect, the setup or a subscription failed, a connection closed, or the deadline passed before
// every connection saw the `sse end`.
Status run_fanout(const FanoutOptions& options);

// Raises this process's open-file limit (RLIMIT_NOFILE) to at least `wanted`, up to the hard limit. Returns the soft
// limit in force afterwards.
std::size_t raise_fd_limit(std::size_t wanted);

}  // namespace aw::bench
