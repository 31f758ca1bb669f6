// aw_runtime_bench: the agent runtime's benchmarks (issue #3). One JSON line per result on stdout.
//
//   aw_runtime_bench overhead [--llm instant|replay|http] [--format openai|anthropic|gemini] [--runs 2000]
//                             [--warmup 200] [--deltas 20] [--chunk-bytes 8] [--history 10] [--read-bytes 0]
//                             [--base-url http://127.0.0.1:PORT]
//       time per reply of one-agent runs: instant = the runtime alone (target <= 100 us), replay = plus the
//       provider's SSE parsing without a socket, http = plus cpprest and aw-fake-llm over loopback (--base-url)
//   aw_runtime_bench stream [--format openai] [--chunks 200000] [--chunk-bytes 8] [--read-bytes 0] [--reps 3]
//       chunks/s through the parser and through a whole run's event path (target >= 50k/s), next to a memchr
//       line-splitting baseline over the same bytes
//
// --read-bytes 0 cuts the body into lines as the cpprest client delivers them; N > 0 into N-byte reads.
// Exit status: 0 when every number was produced, 1 when a measurement failed, 2 for bad arguments.
// Thread-safety: main thread only.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

#include "bench/runtime/runtime_modes.h"

int main(int argc, char** argv) {
  namespace rt = aw::bench::runtime;
  CLI::App app{"Agent runtime benchmarks: overhead per reply and streaming throughput (one JSON line per result)"};
  app.require_subcommand(1);

  rt::OverheadOptions overhead;
  std::string llm = "instant";
  std::string overhead_format = "openai";
  auto* overhead_cmd = app.add_subcommand("overhead", "Time per reply of one-agent runs");
  overhead_cmd->add_option("--llm", llm, "instant | replay | http");
  overhead_cmd->add_option("--format", overhead_format, "Provider family for replay and http");
  overhead_cmd->add_option("--runs", overhead.runs, "Measured runs");
  overhead_cmd->add_option("--warmup", overhead.warmup, "Unmeasured runs before them");
  overhead_cmd->add_option("--deltas", overhead.deltas, "Deltas per reply (instant, replay)");
  overhead_cmd->add_option("--chunk-bytes", overhead.chunk_bytes, "Bytes per delta");
  overhead_cmd->add_option("--history", overhead.history, "Prompt history rows");
  overhead_cmd->add_option("--read-bytes", overhead.read_bytes, "Replay reads: 0 = per line");
  overhead_cmd->add_option("--base-url", overhead.base_url, "aw-fake-llm root URL (http)");

  rt::StreamOptions stream;
  std::string stream_format = "openai";
  auto* stream_cmd = app.add_subcommand("stream", "Chunks/s through the parsers and the event path");
  stream_cmd->add_option("--format", stream_format, "openai | anthropic | gemini");
  stream_cmd->add_option("--chunks", stream.chunks, "Text chunks in the body");
  stream_cmd->add_option("--chunk-bytes", stream.chunk_bytes, "Bytes per chunk");
  stream_cmd->add_option("--read-bytes", stream.read_bytes, "0 = one read per line");
  stream_cmd->add_option("--reps", stream.reps, "Repetitions");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  aw::Status status = aw::Status::ok();
  if (*overhead_cmd) {
    if (llm == "instant") {
      overhead.source = rt::LlmSource::Instant;
    } else if (llm == "replay") {
      overhead.source = rt::LlmSource::Replay;
    } else if (llm == "http") {
      overhead.source = rt::LlmSource::Http;
      if (overhead.base_url.empty()) {
        std::fprintf(stderr, "aw_runtime_bench: --llm http needs --base-url\n");
        return 2;
      }
    } else {
      std::fprintf(stderr, "aw_runtime_bench: --llm must be instant, replay or http\n");
      return 2;
    }
    if (!rt::parse_stream_format(overhead_format, overhead.format) || overhead.runs == 0) {
      std::fprintf(stderr, "aw_runtime_bench: --format must be openai, anthropic or gemini; --runs > 0\n");
      return 2;
    }
    status = rt::run_overhead(overhead);
  } else {
    if (!rt::parse_stream_format(stream_format, stream.format) || stream.chunks == 0 || stream.reps < 1) {
      std::fprintf(stderr, "aw_runtime_bench: --format must be openai, anthropic or gemini; --chunks, --reps > 0\n");
      return 2;
    }
    status = rt::run_stream(stream);
  }
  if (!status.is_ok()) {
    std::fprintf(stderr, "aw_runtime_bench: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}
