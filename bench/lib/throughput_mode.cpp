// throughput mode (see load_modes.h): N clients, each with a bounded window of commands in flight.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "bench/lib/client_pool.h"
#include "bench/lib/countdown_latch.h"
#include "bench/lib/json_line.h"
#include "bench/lib/load_modes.h"
#include "bench/lib/request_frames.h"

namespace aw::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Per-connection state, touched only by the worker thread that owns the connection.
struct ConnState {
  std::uint64_t next_request = 0;
  std::string frame;  // reused per request
};

struct Snapshot {
  std::uint64_t answers;
  std::uint64_t failures;
  Clock::time_point at;
};

}  // namespace

Status run_throughput(const Target& target, const ThroughputOptions& options) {
  if (options.clients == 0 || options.window == 0) {
    return Status::invalid_request("throughput: --clients and --window must be at least 1");
  }
  // Counters are relaxed atomics: the main thread only samples them, it orders nothing by them.
  std::atomic<std::uint64_t> answers{0};
  std::atomic<std::uint64_t> failures{0};
  std::atomic<std::uint64_t> error_frames{0};
  std::atomic<std::uint64_t> send_failures{0};
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connect_failures{0};
  CountdownLatch all_open(options.clients);
  std::vector<ConnState> conns(options.clients);
  ClientPool* pool_ptr = nullptr;

  // Worker thread of id only.
  auto send_one = [&](ConnId id) {
    ConnState& c = conns[id];
    c.frame = command_request(options.command, "c" + std::to_string(id) + "-" + std::to_string(c.next_request++));
    if (!pool_ptr->send(id, c.frame)) send_failures.fetch_add(1, std::memory_order_relaxed);
  };
  ClientPoolHandlers handlers;
  handlers.on_open = [&](ConnId) { all_open.count_down(); };
  handlers.on_fail = [&](ConnId, const std::string&) {
    connect_failures.fetch_add(1);
    all_open.count_down();
  };
  handlers.on_message = [&](ConnId id, std::string_view payload) {
    switch (classify_reply(payload, "")) {
      case ReplyKind::Unrelated:
        return;
      case ReplyKind::ErrorFrame:
        // For a command, the final status "error" answer follows and frees the window slot.
        error_frames.fetch_add(1, std::memory_order_relaxed);
        return;
      case ReplyKind::FailedAnswer:
        failures.fetch_add(1, std::memory_order_relaxed);
        break;
      case ReplyKind::Answer:
        answers.fetch_add(1, std::memory_order_relaxed);
        break;
    }
    if (!stopping.load(std::memory_order_relaxed)) send_one(id);
  };

  ClientPool pool(target.uri, options.threads, handlers);
  pool_ptr = &pool;
  pool.connect(options.clients);
  const bool opened = all_open.wait_for(options.connect_timeout);
  if (!opened || connect_failures.load() > 0) {
    pool.close_all(std::chrono::milliseconds(5000));
    return Status::internal("throughput: " + std::to_string(connect_failures.load()) + " connections failed, " +
                            std::to_string(all_open.remaining()) + " still pending");
  }

  for (ConnId id = 0; id < options.clients; ++id) {
    pool.post(id, [&send_one, id, window = options.window] {
      for (std::size_t i = 0; i < window; ++i) send_one(id);
    });
  }
  auto snapshot = [&] {
    return Snapshot{answers.load(std::memory_order_relaxed), failures.load(std::memory_order_relaxed), Clock::now()};
  };
  // The sleeps are the measurement windows themselves, not synchronisation: the load runs on the workers.
  std::this_thread::sleep_for(options.warmup);
  const Snapshot begin = snapshot();
  std::this_thread::sleep_for(options.duration);
  const Snapshot end = snapshot();
  stopping.store(true);
  const std::size_t still_open = pool.close_all(std::chrono::milliseconds(10000));

  const double seconds = std::chrono::duration<double>(end.at - begin.at).count();
  const std::uint64_t counted = end.answers - begin.answers;
  const double per_second = seconds > 0 ? static_cast<double>(counted) / seconds : 0;
  // Little's law: with clients*window requests always in flight, the mean time each spends in the system.
  const double mean_latency_us =
      per_second > 0 ? static_cast<double>(options.clients * options.window) / per_second * 1e6 : 0;
  JsonLine()
      .add("mode", "throughput")
      .add("target", target.label)
      .add("command", options.command)
      .add("clients", static_cast<std::uint64_t>(options.clients))
      .add("window", static_cast<std::uint64_t>(options.window))
      .add("threads", static_cast<std::uint64_t>(pool.thread_count()))
      .add("seconds", seconds)
      .add("answers", counted)
      .add("answers_per_s", per_second)
      .add("failures", end.failures - begin.failures)
      .add("error_frames", error_frames.load())
      .add("send_failures", send_failures.load())
      .add("mean_latency_us", mean_latency_us)
      .add("still_open_after_close", static_cast<std::uint64_t>(still_open))
      .print();
  if (counted == 0) return Status::internal("throughput: no answers in the measurement window");
  if (end.failures > begin.failures) return Status::internal("throughput: some commands failed");
  return Status::ok();
}

}  // namespace aw::bench
