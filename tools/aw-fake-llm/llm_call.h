// LlmCall: what aw-fake-llm reads from a request to one of the LLM endpoints it imitates: which wire format
// (OpenAI chat completions, Anthropic messages, Gemini generateContent), the model, whether to stream, and the
// text the rules match (the last user message). Any base path before the endpoint is accepted, so a provider's
// base URL may end in /v1, /openai/deployments/<d> or nothing.
// Thread-safety: free functions and plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "tools/aw-fake-llm/http_message.h"

namespace aw::fake_llm {

enum class LlmFormat { OpenAi, Anthropic, Gemini };

// "openai", "anthropic", "gemini"
const char* format_name(LlmFormat format);

struct LlmEndpoint {
  LlmFormat format = LlmFormat::OpenAi;
  std::string gemini_model;    // Gemini names the model in the path
  bool gemini_stream = false;  // :streamGenerateContent rather than :generateContent
};

// The endpoint a (percent-decoded) path names; nullopt when it names none:
// .../chat/completions, .../v1/messages, .../models/<model>:streamGenerateContent and
// .../models/<model>:generateContent.
std::optional<LlmEndpoint> classify_llm_path(std::string_view path);

struct LlmCall {
  LlmFormat format = LlmFormat::OpenAi;
  std::string model;
  bool stream = false;
  bool include_usage = false;           // OpenAI stream_options.include_usage
  std::string last_user_text;           // text of the last user message; "" when there is none
  std::int64_t prompt_code_points = 0;  // all message and system text, for the default usage estimate
};

// Reads the call from the request body (a JSON object). Fails with invalid_request when the body is not JSON or
// not an object, or for a Gemini stream without alt=sse (the only streaming form the fake speaks).
Result<LlmCall> read_llm_call(const LlmEndpoint& endpoint, const HttpRequest& request);

}  // namespace aw::fake_llm
