// The result of aw_load's connect mode, shared by its two clients (connect_mode.cpp: websocketpp;
// raw_connect_mode.cpp: raw sockets): one JSON line and the run's Status.
// Thread-safety: call from the main thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "bench/lib/load_modes.h"
#include "common/status.h"

namespace aw::bench {

struct ConnectReport {
  std::string client;  // "raw" | "websocketpp"
  std::size_t threads = 1;
  std::size_t opened = 0;
  std::size_t failed = 0;
  std::size_t pending = 0;  // connections neither open nor failed when the deadline passed
  bool completed = false;
  double total_ms = 0;
  std::int64_t rss_before_kib = -1;  // -1: not measured
  std::int64_t rss_after_kib = -1;
  std::size_t still_open_after_close = 0;
  std::string first_error;
};

// The target's VmRSS in KiB; -1 for pid 0 or when /proc cannot tell.
std::int64_t rss_kib_or_minus_one(std::int64_t pid);

// Prints the result line (mode "connect"; the RSS fields only when both readings exist) and returns internal when
// the run timed out or connections failed.
Status report_connect(const Target& target, const ConnectOptions& options, const ConnectReport& report);

}  // namespace aw::bench
