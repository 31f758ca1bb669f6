// Pre-built LLM response bodies and read plans for the runtime benchmarks (bench/aw_runtime_bench.cpp).
// The bytes come from aw-fake-llm's own wire formats (tools/aw-fake-llm/*_format.cpp), so the benchmark parses
// exactly what the tests' fake server (and, modulo ids, the real APIs) send.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace aw::bench::runtime {

enum class StreamFormat { OpenAi, Anthropic, Gemini };

// "openai" | "anthropic" | "gemini"; false for anything else.
bool parse_stream_format(std::string_view name, StreamFormat& format);
const char* stream_format_name(StreamFormat format);
// The provider name the processor uses for the format ("openai", "anthropic", "google").
const char* provider_for(StreamFormat format);

// `count` text chunks of about `chunk_bytes` bytes each (words of a short English sentence, cycled), so that the
// JSON escaping and the UTF-8 checks see ordinary text. Each chunk is non-empty.
std::vector<std::string> make_chunks(std::size_t count, std::size_t chunk_bytes);

// A complete 200 event-stream body: the format's opening frames, one frame per chunk, the closing frames.
std::string build_sse_body(StreamFormat format, const std::vector<std::string>& chunks);

// How the body is cut into reads. read_bytes == 0: one read per line with its terminator, which is what the
// cpprest client delivers (http_stream_client.h); otherwise fixed-size reads of read_bytes (a raw socket's view).
// The views point into `body`, which must outlive them.
std::vector<std::string_view> plan_reads(std::string_view body, std::size_t read_bytes);

}  // namespace aw::bench::runtime
