// End-to-end test of zmq_hop_baseline: a real run, checked through the JSON line it prints.
#include <boost/test/unit_test.hpp>
#include <string>

#include "bench/tests/child_process.h"
#include "common/json.h"

#ifndef AW_ZMQ_HOP_BINARY
#error "AW_ZMQ_HOP_BINARY must name the zmq_hop_baseline binary"
#endif

namespace aw::bench::test {

BOOST_AUTO_TEST_SUITE(zmq_hop)

BOOST_AUTO_TEST_CASE(round_trips_are_all_timed) {
  auto run = run_captured({AW_ZMQ_HOP_BINARY, "--requests", "200", "--warmup", "20"}, Millis(30000));
  BOOST_REQUIRE_MESSAGE(run.is_ok(), run.status().message());
  BOOST_TEST(run->exit_status == 0);
  auto line = json::parse_untrusted(run->out.substr(0, run->out.find('\n')));
  BOOST_REQUIRE_MESSAGE(line.is_ok(), "no JSON line: " + run->out);
  BOOST_TEST(json::get_string(*line, "mode").value_or("") == "zmq-hop");
  BOOST_TEST(json::get_bool(*line, "completed").value_or(false));
  BOOST_TEST(json::get_int(*line, "samples").value_or(0) == 200);
  const double p50 = json::get_number(*line, "p50_us").value_or(0);
  BOOST_TEST(p50 > 0.0);
  BOOST_TEST(json::get_number(*line, "max_us").value_or(0) >= p50);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::bench::test
