// ReplyFormat: how one provider family writes an answer on the wire: the server-sent-event frames of a stream
// (opening frames, one frame per text chunk, closing frames, an in-stream error, a malformed line), the body of a
// non-streaming answer, and the provider's error JSON for HTTP failures. One implementation per family:
// OpenAiFormat (chat completions, also Azure, xAI, Ollama /v1 and other compatible servers), AnthropicFormat
// (messages), GeminiFormat (generateContent).
// Thread-safety: implementations are stateless; share them freely.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/aw-fake-llm/llm_call.h"

namespace aw::fake_llm {

// Per-answer values the frames repeat.
struct ReplyContext {
  std::string id;  // chatcmpl-…, msg_…, or Gemini's responseId
  std::string model;
  std::int64_t created_s = 0;  // epoch seconds (OpenAI `created`)
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  bool include_usage = false;  // OpenAI: the client asked for the usage chunk
};

class ReplyFormat {
 public:
  virtual ~ReplyFormat() = default;

  virtual const char* stream_content_type() const = 0;
  // A prefix for this family's response ids ("chatcmpl-", "msg_", "").
  virtual const char* id_prefix() const = 0;
  // Frames before the first text chunk.
  virtual std::vector<std::string> stream_open(const ReplyContext& context) const = 0;
  // The frame carrying one text chunk; `last` when it is the final chunk of the answer.
  virtual std::string stream_chunk(const ReplyContext& context, std::string_view text, bool last) const = 0;
  // Frames after the last chunk (finish reason, usage, terminator); `any_chunk` is false for an empty answer.
  virtual std::vector<std::string> stream_close(const ReplyContext& context, bool any_chunk) const = 0;
  // The frame reporting an error inside a 200 stream.
  virtual std::string stream_error(std::string_view message) const = 0;
  // A frame whose data line is `line`, verbatim (the malformed-stream fault).
  virtual std::string malformed_frame(std::string_view line) const = 0;
  // The body of a non-streaming answer.
  virtual std::string complete_body(const ReplyContext& context, std::string_view text) const = 0;
  // The provider's error JSON for an HTTP failure with `status`.
  virtual std::string error_body(int status, std::string_view message) const = 0;
};

// The format of a family (a static instance).
const ReplyFormat& reply_format(LlmFormat format);

}  // namespace aw::fake_llm
