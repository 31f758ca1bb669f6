// The request of Anthropic's Messages API (agent-runtime.md §7.2): the system text as `system`, alternating
// user/assistant turns (to_chat_turns), max_tokens always present (the API requires it), temperature clamped to
// Anthropic's range [0, 1].
// Thread-safety: plain values and free functions.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "processor/llm/llm_client.h"
#include "processor/providers/http_stream_client.h"

namespace aw::processor::providers::anthropic {

// Sent when the agent has no maxTokens: the API has no default, and 4096 fits every current model.
inline constexpr std::int64_t kDefaultMaxTokens = 4096;
inline constexpr const char* kApiVersion = "2023-06-01";

struct AnthropicEndpoint {
  std::string url;  // <base>/v1/messages
  std::string api_key;
};

// POST body: {"model","max_tokens","system"?,"temperature"?,"stream"?,"messages"}; `stream` only when streaming.
// Headers x-api-key and anthropic-version. Fails when a text is not valid UTF-8.
Result<HttpRequest> build_messages_request(const AnthropicEndpoint& endpoint, const LlmRequest& request);

}  // namespace aw::processor::providers::anthropic
