// Response bodies for the runtime benchmarks (see sse_bodies.h).
#include "bench/runtime/sse_bodies.h"

#include <cstring>

#include "tools/aw-fake-llm/reply_format.h"

namespace aw::bench::runtime {
namespace {

fake_llm::LlmFormat to_fake_format(StreamFormat format) {
  switch (format) {
    case StreamFormat::OpenAi:
      return fake_llm::LlmFormat::OpenAi;
    case StreamFormat::Anthropic:
      return fake_llm::LlmFormat::Anthropic;
    case StreamFormat::Gemini:
      return fake_llm::LlmFormat::Gemini;
  }
  return fake_llm::LlmFormat::OpenAi;
}

}  // namespace

bool parse_stream_format(std::string_view name, StreamFormat& format) {
  if (name == "openai") {
    format = StreamFormat::OpenAi;
  } else if (name == "anthropic") {
    format = StreamFormat::Anthropic;
  } else if (name == "gemini") {
    format = StreamFormat::Gemini;
  } else {
    return false;
  }
  return true;
}

const char* stream_format_name(StreamFormat format) {
  switch (format) {
    case StreamFormat::OpenAi:
      return "openai";
    case StreamFormat::Anthropic:
      return "anthropic";
    case StreamFormat::Gemini:
      return "gemini";
  }
  return "?";
}

const char* provider_for(StreamFormat format) {
  switch (format) {
    case StreamFormat::OpenAi:
      return "openai";
    case StreamFormat::Anthropic:
      return "anthropic";
    case StreamFormat::Gemini:
      return "google";
  }
  return "openai";
}

std::vector<std::string> make_chunks(std::size_t count, std::size_t chunk_bytes) {
  static constexpr const char* kWords[] = {"The ",  "agents ", "talk ", "about ", "the ", "weather, ",
                                           "then ", "plan ",   "a ",    "trip ",  "to ",  "the \"sea\".\n"};
  std::vector<std::string> chunks;
  chunks.reserve(count);
  std::size_t word = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::string chunk;
    while (chunk.size() < chunk_bytes || chunk.empty()) {
      chunk += kWords[word];
      word = (word + 1) % (sizeof(kWords) / sizeof(kWords[0]));
    }
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

std::string build_sse_body(StreamFormat format, const std::vector<std::string>& chunks) {
  const fake_llm::ReplyFormat& wire = fake_llm::reply_format(to_fake_format(format));
  fake_llm::ReplyContext context;
  context.id = std::string(wire.id_prefix()) + "bench0123456789";
  context.model = "bench-model";
  context.created_s = 1767225600;
  context.input_tokens = 42;
  context.output_tokens = static_cast<std::int64_t>(chunks.size());
  context.include_usage = true;
  std::string body;
  for (const std::string& frame : wire.stream_open(context)) body += frame;
  for (std::size_t i = 0; i < chunks.size(); ++i) body += wire.stream_chunk(context, chunks[i], i + 1 == chunks.size());
  for (const std::string& frame : wire.stream_close(context, !chunks.empty())) body += frame;
  return body;
}

std::vector<std::string_view> plan_reads(std::string_view body, std::size_t read_bytes) {
  std::vector<std::string_view> reads;
  std::size_t at = 0;
  while (at < body.size()) {
    std::size_t end = body.size();
    if (read_bytes == 0) {
      const void* nl = std::memchr(body.data() + at, '\n', body.size() - at);
      if (nl != nullptr) end = static_cast<std::size_t>(static_cast<const char*>(nl) - body.data()) + 1;
    } else if (body.size() - at > read_bytes) {
      end = at + read_bytes;
    }
    reads.push_back(body.substr(at, end - at));
    at = end;
  }
  return reads;
}

}  // namespace aw::bench::runtime
