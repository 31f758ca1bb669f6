// connect mode with the websocketpp client (see load_modes.h): time to open N connections, and the target's RSS per
// idle connection. The raw-socket client is raw_connect_mode.cpp.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "bench/lib/client_pool.h"
#include "bench/lib/connect_report.h"
#include "bench/lib/countdown_latch.h"
#include "bench/lib/load_modes.h"
#include "bench/lib/proc_status.h"

namespace aw::bench {
namespace {

using Clock = std::chrono::steady_clock;

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

  const std::int64_t rss_before = rss_kib_or_minus_one(target.pid);
  const Clock::time_point start = Clock::now();
  pool.connect(options.clients);
  const bool completed = all_done.wait_for(options.timeout);
  const Clock::time_point end = completed ? Clock::time_point(Clock::duration(last_done.load())) : Clock::now();
  const double total_ms = std::chrono::duration<double, std::milli>(end - start).count();

  // Idle period: the connections stay open doing nothing, so the RSS read after it is what idle connections
  // cost (including anything the target allocates lazily after the handshake).
  std::this_thread::sleep_for(options.hold);
  const std::int64_t rss_after = rss_kib_or_minus_one(target.pid);
  const std::size_t still_open = pool.close_all(std::chrono::milliseconds(10000));

  ConnectReport report;
  report.client = "websocketpp";
  report.threads = pool.thread_count();
  report.opened = opened.load();
  report.failed = failed.load();
  report.pending = all_done.remaining();
  report.completed = completed;
  report.total_ms = total_ms;
  report.rss_before_kib = rss_before;
  report.rss_after_kib = rss_after;
  report.still_open_after_close = still_open;
  {
    std::lock_guard<std::mutex> lock(first_error_mutex);
    report.first_error = first_error;
  }
  return report_connect(target, options, report);
}

}  // namespace aw::bench
