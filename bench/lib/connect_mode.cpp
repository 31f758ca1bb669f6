// connect mode with the websocketpp client (see load_modes.h): time to open N connections, and the target's RSS per
// idle connection. The raw-socket client is raw_connect_mode.cpp.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "bench/lib/client_pool.h"
#include "bench/lib/countdown_latch.h"
#include "bench/lib/json_line.h"
#include "bench/lib/load_modes.h"
#include "bench/lib/proc_status.h"

namespace aw::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t rss_or_minus_one(std::int64_t pid) {
  if (pid <= 0) return -1;
  auto rss = read_vm_rss_kib(pid);
  return rss.is_ok() ? rss.value() : -1;
}

}  // namespace

Status run_connect(const Target& target, const ConnectOptions& options) {
  if (options.clients == 0) return Status::invalid_request("connect: --clients must be at least 1");
  if (target.pid > 0) {
    auto probe = read_vm_rss_kib(target.pid);
    if (!probe.is_ok()) return probe.status();
  }

  std::atomic<std::size_t> opened{0};
  std::atomic<std::size_t> failed{0};
  std::atomic<std::size_t> finished{0};
  std::atomic<Clock::rep> last_done{0};
  std::mutex first_error_mutex;
  std::string first_error;  // guarded by first_error_mutex
  CountdownLatch all_done(options.clients);

  auto note_done = [&] {
    // The handler that finishes the last connection stamps the end time, before waking the main thread.
    if (finished.fetch_add(1) + 1 == options.clients) last_done.store(Clock::now().time_since_epoch().count());
    all_done.count_down();
  };
  ClientPoolHandlers handlers;
  handlers.on_open = [&](ConnId) {
    opened.fetch_add(1);
    note_done();
  };
  handlers.on_fail = [&](ConnId, const std::string& reason) {
    failed.fetch_add(1);
    {
      std::lock_guard<std::mutex> lock(first_error_mutex);
      if (first_error.empty()) first_error = reason;
    }
    note_done();
  };
  ClientPool pool(target.uri, options.threads, handlers);

  const std::int64_t rss_before = rss_or_minus_one(target.pid);
  const Clock::time_point start = Clock::now();
  pool.connect(options.clients);
  const bool completed = all_done.wait_for(options.timeout);
  const Clock::time_point end = completed ? Clock::time_point(Clock::duration(last_done.load())) : Clock::now();
  const double total_ms = std::chrono::duration<double, std::milli>(end - start).count();

  // Idle period: the connections stay open doing nothing, so the RSS read after it is what idle connections
  // cost (including anything the target allocates lazily after the handshake).
  std::this_thread::sleep_for(options.hold);
  const std::int64_t rss_after = rss_or_minus_one(target.pid);
  const std::size_t still_open = pool.close_all(std::chrono::milliseconds(10000));

  JsonLine line;
  line.add("mode", "connect")
      .add("client", "websocketpp")
      .add("target", target.label)
      .add("clients", static_cast<std::uint64_t>(options.clients))
      .add("threads", static_cast<std::uint64_t>(pool.thread_count()))
      .add("opened", static_cast<std::uint64_t>(opened.load()))
      .add("failed", static_cast<std::uint64_t>(failed.load()))
      .add("completed", completed)
      .add("total_ms", total_ms)
      .add("per_conn_us", total_ms * 1000.0 / static_cast<double>(options.clients));
  if (rss_before >= 0 && rss_after >= 0) {
    const double delta_bytes = static_cast<double>(rss_after - rss_before) * 1024.0;
    line.add("rss_before_kib", rss_before)
        .add("rss_after_kib", rss_after)
        .add("rss_per_conn_bytes", delta_bytes / static_cast<double>(std::max<std::size_t>(opened.load(), 1)));
  }
  line.add("hold_ms", static_cast<std::int64_t>(options.hold.count()))
      .add("still_open_after_close", static_cast<std::uint64_t>(still_open));
  {
    std::lock_guard<std::mutex> lock(first_error_mutex);
    if (!first_error.empty()) line.add("first_error", first_error);
  }
  line.print();

  if (!completed)
    return Status::internal("connect: timed out with " + std::to_string(all_done.remaining()) +
                            " connections still pending");
  if (failed.load() > 0) return Status::internal("connect: " + std::to_string(failed.load()) + " connections failed");
  return Status::ok();
}

}  // namespace aw::bench
