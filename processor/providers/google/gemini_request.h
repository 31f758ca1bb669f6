// The request of Google's Gemini API (agent-runtime.md §7.2): `contents` with roles user and model (assistant),
// the system text as systemInstruction, temperature and max tokens in generationConfig. Streaming calls use
// :streamGenerateContent?alt=sse (one JSON response per SSE event), titles :generateContent.
// Thread-safety: plain values and free functions.
#pragma once

#include <string>

#include "common/status.h"
#include "processor/llm/llm_client.h"
#include "processor/providers/http_stream_client.h"

namespace aw::processor::providers::google {

struct GeminiEndpoint {
  std::string base_url;  // without trailing '/', e.g. https://generativelanguage.googleapis.com
  std::string api_key;
};

// <base>/v1beta/models/<model>:streamGenerateContent?alt=sse, or :generateContent when not streaming. The model is
// percent-encoded; a leading "models/" (as Google's own listings print it) is accepted and not doubled.
std::string gemini_url(const GeminiEndpoint& endpoint, const std::string& model, bool stream);

// POST body: {"contents","systemInstruction"?,"generationConfig"?}; header x-goog-api-key. Fails when a text is not
// valid UTF-8.
Result<HttpRequest> build_generate_request(const GeminiEndpoint& endpoint, const LlmRequest& request);

}  // namespace aw::processor::providers::google
