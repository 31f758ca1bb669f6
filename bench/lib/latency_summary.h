// Percentile summary of a set of latency samples.
// Thread-safety: plain values and a pure function.
#pragma once

#include <cstdint>
#include <vector>

namespace aw::bench {

// Latencies in microseconds (fractional), from nanosecond samples.
struct LatencySummary {
  std::size_t count = 0;
  double min_us = 0;
  double p50_us = 0;
  double p90_us = 0;
  double p99_us = 0;
  double max_us = 0;
  double mean_us = 0;
};

// Sorts samples_ns in place and summarises them. Percentiles are nearest-rank (the smallest sample with at least
// p% of the samples at or below it), so every reported value is a latency that was actually observed.
// An empty input gives an all-zero summary with count 0.
LatencySummary summarize_latencies(std::vector<std::int64_t>& samples_ns);

}  // namespace aw::bench
