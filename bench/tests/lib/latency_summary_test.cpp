// Tests of bench/lib/latency_summary.
#include "bench/lib/latency_summary.h"

#include <boost/test/unit_test.hpp>

namespace aw::bench {
namespace {

BOOST_AUTO_TEST_SUITE(latency_summary)

BOOST_AUTO_TEST_CASE(nearest_rank_percentiles_of_one_to_hundred) {
  std::vector<std::int64_t> samples;
  for (std::int64_t i = 100; i >= 1; --i) samples.push_back(i * 1000);  // unsorted on purpose
  const LatencySummary s = summarize_latencies(samples);
  BOOST_TEST(s.count == 100u);
  BOOST_TEST(s.min_us == 1.0);
  BOOST_TEST(s.p50_us == 50.0);
  BOOST_TEST(s.p90_us == 90.0);
  BOOST_TEST(s.p99_us == 99.0);
  BOOST_TEST(s.max_us == 100.0);
  BOOST_TEST(s.mean_us == 50.5);
}

BOOST_AUTO_TEST_CASE(percentiles_are_observed_samples) {
  std::vector<std::int64_t> samples{30000, 10000, 20000};
  const LatencySummary s = summarize_latencies(samples);
  BOOST_TEST(s.p50_us == 20.0);
  BOOST_TEST(s.p90_us == 30.0);
  BOOST_TEST(s.p99_us == 30.0);
}

BOOST_AUTO_TEST_CASE(empty_input_gives_zero_count) {
  std::vector<std::int64_t> samples;
  const LatencySummary s = summarize_latencies(samples);
  BOOST_TEST(s.count == 0u);
  BOOST_TEST(s.p99_us == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::bench
