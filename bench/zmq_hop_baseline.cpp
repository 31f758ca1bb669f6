// zmq_hop_baseline: the raw limit of the bus hops. One PUSH -> PULL -> PUB -> SUB round trip over tcp loopback
// with libzmq, the same socket types the gateway and a processor use for work (PUSH/PULL) and events (PUB/SUB),
// and nothing else: no JSON, no SQLite, no WebSocket. One JSON line on stdout (latency_summary percentiles, µs).
//
//   zmq_hop_baseline [--requests 10000] [--warmup 1000] [--payload-bytes 200]
//
// The "gateway" side (main thread) binds PUSH and SUB; an echo thread plays the processor (PULL connect, PUB
// connect) and republishes every item it pulls. Each side owns its own zmq context, so every hop crosses the
// kernel's loopback like it does between the real processes. Exit status 0 when every round trip completed.
// Thread-safety: each socket is used by the one thread that created it.
#include <zmq.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "bench/lib/json_line.h"
#include "bench/lib/latency_summary.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPollMs = 200;          // the echo thread checks its stop flag this often
constexpr int kJoinTimeoutMs = 5000;  // a joiner that never gets its first message ends the run

// The processor side: pulls, republishes verbatim on topic "evt.", until stop is set.
void run_echo(const std::string& work_endpoint, const std::string& events_endpoint, const std::atomic<bool>& stop) {
  zmq::context_t ctx(1);
  zmq::socket_t pull(ctx, zmq::socket_type::pull);
  zmq::socket_t pub(ctx, zmq::socket_type::pub);
  pull.set(zmq::sockopt::linger, 0);
  pub.set(zmq::sockopt::linger, 0);
  pull.connect(work_endpoint);
  pub.connect(events_endpoint);
  zmq::pollitem_t items[] = {{static_cast<void*>(pull), 0, ZMQ_POLLIN, 0}};
  while (!stop.load(std::memory_order_relaxed)) {
    zmq::poll(items, 1, std::chrono::milliseconds(kPollMs));
    if (!(items[0].revents & ZMQ_POLLIN)) continue;
    zmq::message_t msg;
    if (!pull.recv(msg, zmq::recv_flags::dontwait)) continue;
    pub.send(zmq::str_buffer("evt."), zmq::send_flags::sndmore);
    pub.send(msg, zmq::send_flags::none);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t requests = 10000;
  std::size_t warmup = 1000;
  std::size_t payload_bytes = 200;
  CLI::App app{"Raw libzmq PUSH->PULL->PUB->SUB round trip on loopback (the bus hops' lower bound)"};
  app.add_option("--requests", requests, "Recorded round trips");
  app.add_option("--warmup", warmup, "Unrecorded round trips before them");
  app.add_option("--payload-bytes", payload_bytes, "Bytes per message (a work item JSON is a few hundred)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  zmq::context_t ctx(1);
  zmq::socket_t push(ctx, zmq::socket_type::push);
  zmq::socket_t sub(ctx, zmq::socket_type::sub);
  push.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::subscribe, "evt.");
  push.bind("tcp://127.0.0.1:*");
  sub.bind("tcp://127.0.0.1:*");
  const std::string work_endpoint = push.get(zmq::sockopt::last_endpoint);
  const std::string events_endpoint = sub.get(zmq::sockopt::last_endpoint);

  std::atomic<bool> stop{false};
  std::thread echo([&] { run_echo(work_endpoint, events_endpoint, stop); });

  const std::string payload(payload_bytes, 'x');
  std::vector<std::int64_t> samples;
  samples.reserve(requests);
  std::size_t completed = 0;
  bool joined = false;
  zmq::pollitem_t items[] = {{static_cast<void*>(sub), 0, ZMQ_POLLIN, 0}};

  // Slow joiner: PUB drops what it sends before the SUB connection is up, so repeat the first item until one
  // comes back (each repeat is a fresh item; stale echoes are drained below).
  const auto join_deadline = Clock::now() + std::chrono::milliseconds(kJoinTimeoutMs);
  while (!joined && Clock::now() < join_deadline) {
    push.send(zmq::buffer(payload), zmq::send_flags::none);
    zmq::poll(items, 1, std::chrono::milliseconds(50));
    if (items[0].revents & ZMQ_POLLIN) joined = true;
  }
  // Drain every echo of the join phase before timing.
  while (joined) {
    zmq::poll(items, 1, std::chrono::milliseconds(100));
    if (!(items[0].revents & ZMQ_POLLIN)) break;
    zmq::message_t topic, body;
    if (!sub.recv(topic, zmq::recv_flags::none) || !sub.recv(body, zmq::recv_flags::none)) break;
  }

  for (std::size_t i = 0; joined && i < warmup + requests; ++i) {
    const auto sent_at = Clock::now();
    push.send(zmq::buffer(payload), zmq::send_flags::none);
    zmq::poll(items, 1, std::chrono::milliseconds(kJoinTimeoutMs));
    if (!(items[0].revents & ZMQ_POLLIN)) break;
    zmq::message_t topic, body;
    if (!sub.recv(topic, zmq::recv_flags::none) || !sub.recv(body, zmq::recv_flags::none)) break;
    const auto received_at = Clock::now();
    if (i >= warmup) samples.push_back((received_at - sent_at).count());
    ++completed;
  }
  stop.store(true);
  echo.join();

  const bool ok = joined && completed == warmup + requests;
  const aw::bench::LatencySummary s = aw::bench::summarize_latencies(samples);
  aw::bench::JsonLine line;
  line.add("mode", "zmq-hop")
      .add("target", "zmq")
      .add("requests", static_cast<std::uint64_t>(requests))
      .add("warmup", static_cast<std::uint64_t>(warmup))
      .add("payload_bytes", static_cast<std::uint64_t>(payload_bytes))
      .add("completed", ok)
      .add("samples", static_cast<std::uint64_t>(s.count))
      .add("min_us", s.min_us)
      .add("p50_us", s.p50_us)
      .add("p90_us", s.p90_us)
      .add("p99_us", s.p99_us)
      .add("max_us", s.max_us)
      .add("mean_us", s.mean_us);
  line.print();
  if (!ok) {
    std::fprintf(stderr, "zmq_hop_baseline: %zu of %zu round trips completed\n", completed, warmup + requests);
    return 1;
  }
  return 0;
}
