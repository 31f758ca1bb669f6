// The measurements of aw_runtime_bench (issue #3): the agent runtime's overhead per reply and the streaming
// throughput of the provider parsers plus the event path, each printing one JSON line per result (bench/lib's
// JsonLine) for bench/runtime_run.sh.
// Thread-safety: each function runs on the calling thread (the runtime's deadline watchdog and, in the http mode,
// cpprest's threads aside).
#pragma once

#include <cstddef>
#include <string>

#include "bench/runtime/sse_bodies.h"
#include "common/status.h"

namespace aw::bench::runtime {

// Where a reply's deltas come from.
enum class LlmSource {
  Instant,  // InstantLlmClient: no HTTP, no parsing (the runtime alone)
  Replay,   // ProviderClient over ReplayHttpClient: the provider's parser and decoder, no socket
  Http,     // ProviderClient over cpprest to aw-fake-llm on loopback (base_url)
};

struct OverheadOptions {
  LlmSource source = LlmSource::Instant;
  StreamFormat format = StreamFormat::OpenAi;  // Replay and Http: the provider family
  std::size_t runs = 2000;                     // measured runs (one agent, one reply each)
  std::size_t warmup = 200;                    // unmeasured runs before them
  std::size_t deltas = 20;                     // Instant and Replay: deltas per reply
  std::size_t chunk_bytes = 8;                 // bytes per delta
  std::size_t history = 10;                    // prompt history rows of the agent (AW_HISTORY_WINDOW's default)
  std::size_t read_bytes = 0;                  // Replay: 0 = one read per line (cpprest), else fixed reads
  std::string base_url;                        // Http: aw-fake-llm's root, e.g. http://127.0.0.1:8089
};

// Runs `runs` one-agent attempts (AgentRun construction, execute, commit encoding) and prints wall and thread-CPU
// p50/p99 per reply. Fails when a run did not complete with exactly one reply.
Status run_overhead(const OverheadOptions& options);

struct StreamOptions {
  StreamFormat format = StreamFormat::OpenAi;
  std::size_t chunks = 200000;  // text chunks in the body
  std::size_t chunk_bytes = 8;
  std::size_t read_bytes = 0;  // 0 = one read per line (cpprest), else fixed reads
  int reps = 3;
};

// For each repetition prints three lines over the same body, in this order:
//   stage "baseline": memchr line splitting of the bytes (the machine's floor for touching every line);
//   stage "parser":   ResponseReader (SseParser + the provider's StreamDecoder), deltas counted;
//   stage "runtime":  one AgentRun whose provider streams the body through ProviderClient over ReplayHttpClient,
//                     every chunk event encoded as the worker's bus frame (EncodingEventSink).
// with chunks/s and MB/s. Fails when a stage lost or invented chunks.
Status run_stream(const StreamOptions& options);

}  // namespace aw::bench::runtime
