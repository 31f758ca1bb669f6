// The bus round trip mode of aw_bus_latency: a message sent by a WebSocket client travels through aw-gateway
// (queue, dispatch over PUSH), an aw-processor (agent run against the fake LLM, events over PUB) and back to the
// client as the agent's final `sse end` event and the sender's `completed` status (ws-protocol.md §5.5).
//
// Setup on one connection: for each of `worlds` worlds, create-world, create-agent (openai-compatible, pointed at
// whatever LLM the processors use) and subscribe. Then every world keeps exactly one message in flight: the next
// one is sent when the previous one's `sse end` AND `completed` have both arrived (a world runs one item at a
// time anyway). With worlds = 1 that is the sequential latency; with many worlds it is the throughput.
// Prints one JSON line (JsonLine) with both latencies' percentiles and messages completed per second.
// Thread-safety: call from the main thread; it owns its ClientPool and worker thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "common/status.h"

namespace aw::bench {

struct BusLatencyOptions {
  std::string uri;                // ws://127.0.0.1:<port>/ of aw-gateway
  std::string label = "gateway";  // "target" in the result line
  std::string tag;                // extra free-text label (e.g. "1 processor"), echoed as "tag"
  std::size_t worlds = 1;         // worlds in parallel, one agent and one message in flight each
  std::size_t messages = 500;     // recorded messages (over all worlds)
  std::size_t warmup = 50;        // completed messages before recording starts
  std::string provider = "openai-compatible";
  std::string model = "fake-model";
  std::chrono::milliseconds timeout{120000};  // for the whole run, setup included
};

// Not ok when setup failed, a message failed, or the deadline passed before every message completed.
Status run_bus_latency(const BusLatencyOptions& options);

}  // namespace aw::bench
