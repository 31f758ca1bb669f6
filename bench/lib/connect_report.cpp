// The connect mode's result line (see connect_report.h).
#include "bench/lib/connect_report.h"

#include <algorithm>

#include "bench/lib/json_line.h"
#include "bench/lib/proc_status.h"

namespace aw::bench {

std::int64_t rss_kib_or_minus_one(std::int64_t pid) {
  if (pid <= 0) return -1;
  auto rss = read_vm_rss_kib(pid);
  return rss.is_ok() ? rss.value() : -1;
}

Status report_connect(const Target& target, const ConnectOptions& options, const ConnectReport& report) {
  JsonLine line;
  line.add("mode", "connect")
      .add("client", report.client)
      .add("target", target.label)
      .add("clients", static_cast<std::uint64_t>(options.clients))
      .add("threads", static_cast<std::uint64_t>(report.threads))
      .add("opened", static_cast<std::uint64_t>(report.opened))
      .add("failed", static_cast<std::uint64_t>(report.failed))
      .add("completed", report.completed)
      .add("total_ms", report.total_ms)
      .add("per_conn_us", report.total_ms * 1000.0 / static_cast<double>(options.clients));
  if (report.rss_before_kib >= 0 && report.rss_after_kib >= 0) {
    const double delta_bytes = static_cast<double>(report.rss_after_kib - report.rss_before_kib) * 1024.0;
    line.add("rss_before_kib", report.rss_before_kib)
        .add("rss_after_kib", report.rss_after_kib)
        .add("rss_per_conn_bytes", delta_bytes / static_cast<double>(std::max<std::size_t>(report.opened, 1)));
  }
  line.add("hold_ms", static_cast<std::int64_t>(options.hold.count()))
      .add("still_open_after_close", static_cast<std::uint64_t>(report.still_open_after_close));
  if (!report.first_error.empty()) line.add("first_error", report.first_error);
  line.print();

  if (!report.completed) {
    return Status::internal("connect: timed out with " + std::to_string(report.pending) + " connections still pending");
  }
  if (report.failed > 0) return Status::internal("connect: " + std::to_string(report.failed) + " connections failed");
  return Status::ok();
}

}  // namespace aw::bench
