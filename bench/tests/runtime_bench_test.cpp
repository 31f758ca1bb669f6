// End-to-end runs of aw_runtime_bench (a real process): the overhead mode reports one complete line per LLM source
// it can run without a server, the stream mode three stages per format that each counted every chunk, and bad
// arguments end with status 2.
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "bench/tests/child_process.h"
#include "common/json.h"

#ifndef AW_RUNTIME_BENCH_BINARY
#error "AW_RUNTIME_BENCH_BINARY must name the aw_runtime_bench binary"
#endif

namespace aw::bench::test {
namespace {

std::vector<json::Document> json_lines(const std::string& out) {
  std::vector<json::Document> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    auto doc = json::parse_untrusted(line);
    BOOST_REQUIRE_MESSAGE(doc.is_ok(), "not a JSON line: " + line);
    lines.push_back(std::move(doc.value()));
  }
  return lines;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(runtime_bench)

BOOST_AUTO_TEST_CASE(overhead_times_every_run_of_each_local_llm_source) {
  for (const char* llm : {"instant", "replay"}) {
    auto run = run_captured({AW_RUNTIME_BENCH_BINARY, "overhead", "--llm", llm, "--runs", "50", "--warmup", "5"},
                            Millis(60000));
    BOOST_REQUIRE_MESSAGE(run.is_ok(), run.status().message());
    BOOST_TEST(run->exit_status == 0, llm << ": " << run->out);
    auto lines = json_lines(run->out);
    BOOST_REQUIRE(lines.size() == 1u);
    const json::Document& line = lines.front();
    BOOST_TEST(json::get_string(line, "llm").value_or("") == llm);
    BOOST_TEST(json::get_int(line, "runs").value_or(0) == 50);
    BOOST_TEST(json::get_int(line, "deltas_per_reply").value_or(0) == 20);
    const double p50 = json::get_number(line, "wall_p50_us").value_or(0);
    BOOST_TEST(p50 > 0.0);
    BOOST_TEST(json::get_number(line, "wall_p99_us").value_or(0) >= p50);
  }
}

BOOST_AUTO_TEST_CASE(stream_counts_every_chunk_in_every_stage_and_format) {
  for (const char* format : {"openai", "anthropic", "gemini"}) {
    auto run = run_captured({AW_RUNTIME_BENCH_BINARY, "stream", "--format", format, "--chunks", "2000", "--reps", "1",
                             "--read-bytes", "100"},
                            Millis(60000));
    BOOST_REQUIRE_MESSAGE(run.is_ok(), run.status().message());
    BOOST_TEST(run->exit_status == 0, format << ": " << run->out);
    auto lines = json_lines(run->out);
    BOOST_REQUIRE(lines.size() == 3u);
    const char* stages[] = {"baseline", "parser", "runtime"};
    for (std::size_t i = 0; i < 3; ++i) {
      BOOST_TEST(json::get_string(lines[i], "stage").value_or("") == stages[i]);
      BOOST_TEST(json::get_string(lines[i], "format").value_or("") == format);
      BOOST_TEST(json::get_int(lines[i], "chunks").value_or(0) == 2000);
      BOOST_TEST(json::get_number(lines[i], "cpu_chunks_per_s").value_or(0) > 0.0);
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_arguments_end_with_status_2) {
  auto run = run_captured({AW_RUNTIME_BENCH_BINARY, "stream", "--format", "morse"}, Millis(30000));
  BOOST_REQUIRE_MESSAGE(run.is_ok(), run.status().message());
  BOOST_TEST(run->exit_status == 2);
  auto http = run_captured({AW_RUNTIME_BENCH_BINARY, "overhead", "--llm", "http"}, Millis(30000));
  BOOST_REQUIRE_MESSAGE(http.is_ok(), http.status().message());
  BOOST_TEST(http->exit_status == 2);  // http needs --base-url
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::bench::test
