// The runtime benchmarks (see runtime_modes.h).
#include "bench/runtime/runtime_modes.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include "bench/lib/json_line.h"
#include "bench/lib/latency_summary.h"
#include "bench/runtime/encoding_event_sink.h"
#include "bench/runtime/instant_llm_client.h"
#include "bench/runtime/replay_http_client.h"
#include "processor/providers/provider_client.h"
#include "processor/providers/provider_factory.h"
#include "processor/providers/provider_registry.h"
#include "processor/providers/response_reader.h"
#include "processor/runtime/agent_run.h"

namespace aw::bench::runtime {
namespace {

using Clock = std::chrono::steady_clock;
namespace providers = processor::providers;

constexpr const char* kModel = "bench-model";
constexpr const char* kProcessorId = "bench-processor-1";

std::int64_t thread_cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::int64_t process_cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double cpu_seconds_since(std::int64_t thread_cpu_start_ns) {
  // At least a microsecond, so that a rate is never a division by zero.
  return std::max<double>(static_cast<double>(thread_cpu_ns() - thread_cpu_start_ns) / 1e9, 1e-6);
}

// The spec's usual case (agent-runtime.md §15): a world with one agent, a human message in a new chat, and
// `history` earlier rows of the agent's memory in the prompt.
processor::WorkItem make_work_item(const std::string& provider, std::size_t history) {
  processor::WorkItem item;
  item.dispatch_id = "d-1";
  item.world_id = "bench-world";
  item.run_id = "msg-bench-1";
  item.attempt = 1;
  item.chat_id = "chat-1";
  item.activity_id = 1;
  item.deadline_ms = 600000;  // AW_RUN_TIMEOUT_MS's default: the deadline watchdog is part of every run
  item.history_window = 10;
  item.trigger = {item.run_id, "Hello, what should we plan for the weekend?", "human", "2026-01-01T00:00:00.000Z"};
  item.world = {item.world_id, "Bench World", 5, std::nullopt, std::nullopt};
  item.chat = {"chat-1", "Weekend"};
  processor::AgentSnapshot agent;
  agent.id = "planner";
  agent.name = "Planner";
  agent.type = "default";
  agent.provider = provider;
  agent.model = kModel;
  agent.system_prompt = "You are Planner, a helpful assistant who plans trips.";
  agent.rev = 1;
  item.agents.push_back(agent);
  auto& rows = item.history[agent.id];
  for (std::size_t i = 0; i < history; ++i) {
    processor::MemoryRow row;
    row.agent_id = agent.id;
    row.chat_id = item.chat_id;
    const bool user = i % 2 == 0;
    row.role = user ? "user" : "assistant";
    row.sender = user ? "human" : agent.id;
    row.content = user ? "Earlier question number " + std::to_string(i) + " about the trip?"
                       : "An earlier answer, number " + std::to_string(i) + ", with a few words of detail.";
    row.message_id = "msg-history-" + std::to_string(i);
    row.created_at = "2025-12-31T12:00:00.000Z";
    rows.push_back(std::move(row));
  }
  return item;
}

// Provider variables that configure every family against `base_url` (the key is never checked by the fake).
providers::ProviderVariables provider_variables(const std::string& base_url) {
  return {{"OPENAI_API_KEY", "bench"},
          {"AW_OPENAI_BASE_URL", base_url + "/v1"},
          {"ANTHROPIC_API_KEY", "bench"},
          {"AW_ANTHROPIC_BASE_URL", base_url},
          {"GOOGLE_API_KEY", "bench"},
          {"AW_GOOGLE_BASE_URL", base_url},
          {"OPENAI_COMPATIBLE_BASE_URL", base_url + "/v1"}};
}

std::unique_ptr<processor::LlmClient> make_llm(const OverheadOptions& options, std::size_t* reads) {
  const std::vector<std::string> chunks = make_chunks(options.deltas, options.chunk_bytes);
  switch (options.source) {
    case LlmSource::Instant:
      return std::make_unique<InstantLlmClient>(chunks);
    case LlmSource::Replay: {
      auto http = std::make_shared<ReplayHttpClient>(build_sse_body(options.format, chunks), options.read_bytes);
      *reads = http->reads();
      return std::make_unique<providers::ProviderClient>(
          providers::make_configured_protocols(provider_variables("http://127.0.0.1:9")), http,
          providers::RetryPolicy{}, Logger());
    }
    case LlmSource::Http: {
      providers::ProviderSettings settings;
      settings.variables = provider_variables(options.base_url);
      settings.retry.max_retries = 0;  // a failure is a failed benchmark, not something to hide
      return providers::make_provider_client(settings);
    }
  }
  return nullptr;
}

const char* source_name(LlmSource source) {
  switch (source) {
    case LlmSource::Instant:
      return "instant";
    case LlmSource::Replay:
      return "replay";
    case LlmSource::Http:
      return "http";
  }
  return "?";
}

}  // namespace

Status run_overhead(const OverheadOptions& options) {
  std::size_t reads = 0;
  std::unique_ptr<processor::LlmClient> llm = make_llm(options, &reads);
  const processor::WorkItem item = make_work_item(provider_for(options.format), options.history);
  EncodingEventSink sink({kProcessorId, item.world_id, item.run_id, item.attempt});

  std::vector<std::int64_t> wall_ns;
  std::vector<std::int64_t> cpu_ns;
  wall_ns.reserve(options.runs);
  cpu_ns.reserve(options.runs);
  std::int64_t commit_bytes = 0;
  std::int64_t process_cpu_start = 0;
  const std::size_t total = options.warmup + options.runs;
  for (std::size_t i = 0; i < total; ++i) {
    if (i == options.warmup) {
      sink.reset();
      commit_bytes = 0;
      process_cpu_start = process_cpu_ns();
    }
    const auto wall_start = Clock::now();
    const std::int64_t cpu_start = thread_cpu_ns();
    // What the worker does per work item once it is decoded: a run, then its commit frame.
    processor::AgentRun run(item, *llm, sink, processor::RunOptions{});
    std::optional<processor::Commit> commit = run.execute();
    if (!commit || commit->messages.size() != 1 || commit->outcome != processor::CommitOutcome::Completed) {
      return Status::internal("overhead: run " + std::to_string(i) + " did not complete with one reply");
    }
    const bus::Frame frame = bus::encode(processor::worker::commit_to_bus(*commit, kProcessorId));
    const std::int64_t cpu_end = thread_cpu_ns();
    const auto wall_end = Clock::now();
    commit_bytes += static_cast<std::int64_t>(frame.body.size());
    if (i >= options.warmup) {
      wall_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(wall_end - wall_start).count());
      cpu_ns.push_back(cpu_end - cpu_start);
    }
  }
  const std::int64_t process_cpu = process_cpu_ns() - process_cpu_start;
  const auto runs = static_cast<std::int64_t>(options.runs);
  const LatencySummary wall = summarize_latencies(wall_ns);
  const LatencySummary cpu = summarize_latencies(cpu_ns);

  JsonLine line;
  line.add("bench", "runtime")
      .add("mode", "overhead")
      .add("llm", source_name(options.source))
      .add("format", options.source == LlmSource::Instant ? "none" : stream_format_name(options.format))
      .add("runs", runs)
      .add("history", static_cast<std::uint64_t>(options.history))
      .add("deltas_per_reply", sink.chunks() / std::max<std::int64_t>(runs, 1))
      .add("events_per_reply", sink.events() / std::max<std::int64_t>(runs, 1))
      .add("event_bytes_per_reply", sink.bytes() / std::max<std::int64_t>(runs, 1))
      .add("commit_bytes", commit_bytes / std::max<std::int64_t>(runs, 1))
      .add("wall_p50_us", wall.p50_us)
      .add("wall_p99_us", wall.p99_us)
      .add("wall_mean_us", wall.mean_us)
      .add("cpu_p50_us", cpu.p50_us)
      .add("cpu_p99_us", cpu.p99_us)
      .add("process_cpu_mean_us", static_cast<double>(process_cpu) / 1000.0 / static_cast<double>(runs));
  if (options.source == LlmSource::Replay) line.add("reads_per_reply", static_cast<std::uint64_t>(reads));
  line.print();
  return Status::ok();
}

namespace {

// A stage's result; `cpu_seconds` is the measuring thread's CPU time, which a loaded machine disturbs less than the
// wall time.
void print_stream_line(const StreamOptions& options, const char* stage, int pass, std::int64_t chunks,
                       std::size_t bytes, double seconds, double cpu_seconds) {
  JsonLine line;
  line.add("bench", "runtime")
      .add("mode", "stream")
      .add("stage", stage)
      .add("format", stream_format_name(options.format))
      .add("read", options.read_bytes == 0 ? std::string("line") : std::to_string(options.read_bytes))
      .add("pass", pass)
      .add("chunks", chunks)
      .add("bytes", static_cast<std::uint64_t>(bytes))
      .add("ms", seconds * 1000.0)
      .add("chunks_per_s", static_cast<double>(chunks) / seconds)
      .add("mb_per_s", static_cast<double>(bytes) / 1e6 / seconds)
      .add("cpu_chunks_per_s", static_cast<double>(chunks) / cpu_seconds)
      .add("cpu_mb_per_s", static_cast<double>(bytes) / 1e6 / cpu_seconds);
  line.print();
}

// The floor: find every line of the body with memchr, as any line-based parser must.
std::int64_t count_lines(const std::vector<std::string_view>& reads) {
  std::int64_t lines = 0;
  for (std::string_view read : reads) {
    const char* at = read.data();
    const char* end = read.data() + read.size();
    while (at < end) {
      const void* nl = std::memchr(at, '\n', static_cast<std::size_t>(end - at));
      if (nl == nullptr) break;
      ++lines;
      at = static_cast<const char*>(nl) + 1;
    }
  }
  return lines;
}

}  // namespace

Status run_stream(const StreamOptions& options) {
  const std::vector<std::string> chunks = make_chunks(options.chunks, options.chunk_bytes);
  const std::string body = build_sse_body(options.format, chunks);
  const std::vector<std::string_view> reads = plan_reads(body, options.read_bytes);
  const auto expected = static_cast<std::int64_t>(chunks.size());
  const providers::ProtocolMap protocols = providers::make_configured_protocols(provider_variables("http://x"));
  const std::string provider = provider_for(options.format);
  const auto protocol = protocols.find(provider);
  if (protocol == protocols.end()) return Status::internal("stream: provider " + provider + " is not configured");

  for (int rep = 1; rep <= options.reps; ++rep) {
    auto start = Clock::now();
    std::int64_t cpu_start = thread_cpu_ns();
    const std::int64_t lines = count_lines(reads);
    print_stream_line(options, "baseline", rep, expected, body.size(), seconds_since(start),
                      cpu_seconds_since(cpu_start));
    if (lines == 0) return Status::internal("stream: the baseline found no lines");

    std::int64_t deltas = 0;
    const std::function<void(std::string_view)> on_delta = [&deltas](std::string_view) { ++deltas; };
    start = Clock::now();
    cpu_start = thread_cpu_ns();
    {
      providers::ResponseReader reader(*protocol->second, provider, true, on_delta);
      providers::HttpResponseHead head;
      head.status = 200;
      head.headers.push_back({"Content-Type", "text/event-stream"});
      reader.on_head(head);
      for (std::string_view read : reads) reader.on_body(read);
      providers::HttpOutcome outcome;
      outcome.head_received = true;
      const providers::AttemptResult result = reader.finish(outcome, processor::CancelToken());
      if (!result.result.ok) return Status::internal("stream: parser failed: " + result.result.error_text);
    }
    print_stream_line(options, "parser", rep, deltas, body.size(), seconds_since(start), cpu_seconds_since(cpu_start));
    if (deltas != expected) {
      return Status::internal("stream: parser delivered " + std::to_string(deltas) + " of " + std::to_string(expected) +
                              " chunks");
    }

    processor::WorkItem item = make_work_item(provider, 0);
    auto http = std::make_shared<ReplayHttpClient>(body, options.read_bytes);
    providers::ProviderClient llm(providers::make_configured_protocols(provider_variables("http://x")), http,
                                  providers::RetryPolicy{}, Logger());
    EncodingEventSink sink({kProcessorId, item.world_id, item.run_id, item.attempt});
    start = Clock::now();
    cpu_start = thread_cpu_ns();
    {
      processor::AgentRun run(std::move(item), llm, sink, processor::RunOptions{});
      std::optional<processor::Commit> commit = run.execute();
      if (!commit || commit->messages.size() != 1) return Status::internal("stream: the run did not reply");
    }
    print_stream_line(options, "runtime", rep, sink.chunks(), body.size(), seconds_since(start),
                      cpu_seconds_since(cpu_start));
    if (sink.chunks() != expected) {
      return Status::internal("stream: the run published " + std::to_string(sink.chunks()) + " of " +
                              std::to_string(expected) + " chunks");
    }
  }
  return Status::ok();
}

}  // namespace aw::bench::runtime
