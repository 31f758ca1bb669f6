// rtt and seed modes (see load_modes.h): one connection, one request in flight at a time.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "bench/lib/client_pool.h"
#include "bench/lib/countdown_latch.h"
#include "bench/lib/json_line.h"
#include "bench/lib/latency_summary.h"
#include "bench/lib/load_modes.h"
#include "bench/lib/request_frames.h"

namespace aw::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct SequentialResult {
  bool completed = false;
  std::size_t answers = 0;               // round trips that ended in a final answer (success or failure)
  std::size_t failures = 0;              // final answers with status "error"
  std::size_t error_frames = 0;          // {"type":"error"} frames seen
  std::string first_failure;             // the first failure or error frame, verbatim (truncated)
  std::vector<std::int64_t> samples_ns;  // round trips after the warmup
};

// Sends count frames one after another on one connection; frame i is make_frame(i, request_id) with request_id
// "r<i>". The first `warmup` round trips are not sampled. The per-request state lives on the pool's single worker
// thread; the main thread reads it only after the latch (or the pool's destruction) has ordered the accesses.
SequentialResult run_sequential(const std::string& uri, std::size_t count, std::size_t warmup,
                                const std::function<std::string(std::size_t, const std::string&)>& make_frame,
                                std::chrono::milliseconds timeout) {
  SequentialResult result;
  result.samples_ns.reserve(count > warmup ? count - warmup : 0);
  CountdownLatch opened(1);
  CountdownLatch done(1);
  std::size_t next = 0;
  std::string current_id;
  Clock::time_point sent_at;
  ClientPool* pool_ptr = nullptr;

  // Worker thread only.
  auto send_next = [&] {
    current_id = "r" + std::to_string(next);
    const std::string frame = make_frame(next, current_id);
    sent_at = Clock::now();
    if (!pool_ptr->send(0, frame)) done.count_down();
  };
  ClientPoolHandlers handlers;
  handlers.on_open = [&](ConnId) {
    opened.count_down();
    if (count == 0) {
      done.count_down();
      return;
    }
    send_next();
  };
  handlers.on_fail = [&](ConnId, const std::string&) {
    opened.count_down();
    done.count_down();
  };
  handlers.on_close = [&](ConnId) { done.count_down(); };
  handlers.on_message = [&](ConnId, std::string_view payload) {
    const Clock::time_point received_at = Clock::now();
    const ReplyKind kind = classify_reply(payload, current_id);
    if (kind == ReplyKind::Unrelated) return;
    if (kind != ReplyKind::Answer && result.first_failure.empty()) {
      result.first_failure = std::string(payload.substr(0, 300));
    }
    if (kind == ReplyKind::ErrorFrame) {
      ++result.error_frames;
      return;
    }
    if (kind == ReplyKind::FailedAnswer) ++result.failures;
    ++result.answers;
    if (next >= warmup) result.samples_ns.push_back((received_at - sent_at).count());
    if (++next == count) {
      result.completed = true;
      done.count_down();
      return;
    }
    send_next();
  };

  {
    ClientPool pool(uri, 1, handlers);
    pool_ptr = &pool;
    pool.connect(1);
    const auto deadline = Clock::now() + timeout;
    if (opened.wait_for(timeout)) {
      done.wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    }
    pool.close_all(std::chrono::milliseconds(5000));
  }  // the worker is joined here: its writes to result are visible below
  return result;
}

}  // namespace

Status run_rtt(const Target& target, const RttOptions& options) {
  const std::string command = options.command;
  SequentialResult r = run_sequential(
      target.uri, options.warmup + options.requests, options.warmup,
      [&command](std::size_t, const std::string& id) { return command_request(command, id); }, options.timeout);
  const LatencySummary s = summarize_latencies(r.samples_ns);
  JsonLine line;
  line.add("mode", "rtt")
      .add("target", target.label)
      .add("command", options.command)
      .add("requests", static_cast<std::uint64_t>(options.requests))
      .add("warmup", static_cast<std::uint64_t>(options.warmup))
      .add("completed", r.completed)
      .add("samples", static_cast<std::uint64_t>(s.count))
      .add("failures", static_cast<std::uint64_t>(r.failures))
      .add("error_frames", static_cast<std::uint64_t>(r.error_frames))
      .add("min_us", s.min_us)
      .add("p50_us", s.p50_us)
      .add("p90_us", s.p90_us)
      .add("p99_us", s.p99_us)
      .add("max_us", s.max_us)
      .add("mean_us", s.mean_us);
  if (!r.first_failure.empty()) line.add("first_failure", r.first_failure);
  line.print();
  if (!r.completed) {
    return Status::internal("rtt: only " + std::to_string(r.answers) + " of " +
                            std::to_string(options.warmup + options.requests) + " round trips completed in time");
  }
  if (r.failures > 0) return Status::internal("rtt: " + std::to_string(r.failures) + " commands failed");
  return Status::ok();
}

Status run_seed(const Target& target, const SeedOptions& options) {
  SequentialResult r = run_sequential(
      target.uri, options.worlds, 0,
      [](std::size_t i, const std::string& id) { return create_world_request("bench-world-" + std::to_string(i), id); },
      options.timeout);
  JsonLine line;
  line.add("mode", "seed")
      .add("target", target.label)
      .add("worlds", static_cast<std::uint64_t>(options.worlds))
      .add("completed", r.completed)
      .add("created", static_cast<std::uint64_t>(r.answers - r.failures))
      .add("failures", static_cast<std::uint64_t>(r.failures));
  if (!r.first_failure.empty()) line.add("first_failure", r.first_failure);
  line.print();
  if (!r.completed) return Status::internal("seed: timed out or connection lost");
  if (r.failures > 0) return Status::internal("seed: " + std::to_string(r.failures) + " create-world commands failed");
  return Status::ok();
}

}  // namespace aw::bench
