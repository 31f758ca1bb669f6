// libFuzzer target: the SSE parser (processor/providers/sse_parser.h) and one provider's stream decoder, chosen at
// build time by AW_FUZZ_PROVIDER (1 OpenAI, 2 Anthropic, 3 Gemini; one executable per provider, so each keeps its
// own corpus). The input's first byte gives the number of cuts and the next bytes their chunk sizes, so the fuzzer
// chooses the chunk boundaries; the rest is the response body.
// Properties besides crashes and sanitizer reports (each traps):
// - chunk boundaries do not matter: the body fed in chunks gives the same events (or the same failure) as fed at once;
// - a delta the decoder accepted is valid UTF-8 (StreamDecoder contract);
// - a failure is one of the two documented codes (invalid_response, provider_error).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "processor/providers/provider_protocol.h"
#include "processor/providers/sse_parser.h"

#if AW_FUZZ_PROVIDER == 1
#include "processor/providers/openai/openai_stream_decoder.h"
using Decoder = aw::processor::providers::openai::OpenAiStreamDecoder;
#elif AW_FUZZ_PROVIDER == 2
#include "processor/providers/anthropic/anthropic_stream_decoder.h"
using Decoder = aw::processor::providers::anthropic::AnthropicStreamDecoder;
#elif AW_FUZZ_PROVIDER == 3
#include "processor/providers/google/gemini_stream_decoder.h"
using Decoder = aw::processor::providers::google::GeminiStreamDecoder;
#else
#error "AW_FUZZ_PROVIDER must be 1, 2 or 3"
#endif

namespace {

using aw::processor::providers::SseEvent;
using aw::processor::providers::SseParser;

// Small enough that the fuzzer reaches the line and event limits.
constexpr std::size_t kMaxEventBytes = 2048;
constexpr std::size_t kMaxCuts = 8;

struct Parsed {
  bool ok = true;
  std::vector<SseEvent> events;
};

Parsed parse(std::string_view body, const std::vector<std::size_t>& chunk_sizes) {
  SseParser parser(kMaxEventBytes);
  Parsed out;
  std::size_t pos = 0;
  for (std::size_t i = 0; pos < body.size(); ++i) {
    const std::size_t n = chunk_sizes.empty() ? body.size() : chunk_sizes[i % chunk_sizes.size()];
    if (!parser.feed(body.substr(pos, n), out.events).is_ok()) {
      out.ok = false;
      return out;
    }
    pos += n;
  }
  return out;
}

void check_failure(const aw::Status& status) {
  if (status.code() != aw::processor::providers::kInvalidResponseCode &&
      status.code() != aw::processor::providers::kProviderErrorCode) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t cuts = data[0] % (kMaxCuts + 1);
  if (size < 1 + cuts) return 0;
  std::vector<std::size_t> chunk_sizes;
  for (std::size_t i = 0; i < cuts; ++i) chunk_sizes.push_back(std::size_t{data[1 + i]} + 1);
  const std::string_view body(reinterpret_cast<const char*>(data) + 1 + cuts, size - 1 - cuts);

  const Parsed whole = parse(body, {});
  const Parsed split = parse(body, chunk_sizes.empty() ? std::vector<std::size_t>{1} : chunk_sizes);
  if (whole.ok != split.ok) __builtin_trap();
  if (whole.ok) {
    if (whole.events.size() != split.events.size()) __builtin_trap();
    for (std::size_t i = 0; i < whole.events.size(); ++i) {
      if (whole.events[i].type != split.events[i].type || whole.events[i].data != split.events[i].data) {
        __builtin_trap();
      }
    }
  }

  Decoder decoder("fuzz");
  for (const SseEvent& event : split.events) {
    if (decoder.is_done()) return 0;
    std::string delta;
    aw::Status status = decoder.on_event(event, delta);
    if (!status.is_ok()) {
      check_failure(status);
      return 0;
    }
    if (!aw::json::is_valid_utf8(delta)) __builtin_trap();
  }
  if (split.ok && !decoder.is_done()) {
    aw::Status status = decoder.on_end_of_body();
    if (!status.is_ok()) check_failure(status);
  }
  (void)decoder.usage();
  return 0;
}
