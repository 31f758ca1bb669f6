// Nearest-rank percentiles (see latency_summary.h).
#include "bench/lib/latency_summary.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace aw::bench {
namespace {

double nearest_rank_us(const std::vector<std::int64_t>& sorted_ns, double percent) {
  const auto n = static_cast<double>(sorted_ns.size());
  auto rank = static_cast<std::size_t>(std::ceil(percent / 100.0 * n));
  rank = std::clamp<std::size_t>(rank, 1, sorted_ns.size());
  return static_cast<double>(sorted_ns[rank - 1]) / 1000.0;
}

}  // namespace

LatencySummary summarize_latencies(std::vector<std::int64_t>& samples_ns) {
  LatencySummary s;
  if (samples_ns.empty()) return s;
  std::sort(samples_ns.begin(), samples_ns.end());
  s.count = samples_ns.size();
  s.min_us = static_cast<double>(samples_ns.front()) / 1000.0;
  s.p50_us = nearest_rank_us(samples_ns, 50);
  s.p90_us = nearest_rank_us(samples_ns, 90);
  s.p99_us = nearest_rank_us(samples_ns, 99);
  s.max_us = static_cast<double>(samples_ns.back()) / 1000.0;
  const double total_ns = std::accumulate(samples_ns.begin(), samples_ns.end(), 0.0);
  s.mean_us = total_ns / static_cast<double>(s.count) / 1000.0;
  return s;
}

}  // namespace aw::bench
