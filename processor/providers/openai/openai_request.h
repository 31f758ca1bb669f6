// The request of the OpenAI chat completions API (agent-runtime.md §7.2), used by openai, azure, xai,
// openai-compatible and ollama; they differ only in endpoint, auth and two body details held by OpenAiEndpoint.
// Thread-safety: plain values and free functions.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "processor/llm/llm_client.h"
#include "processor/providers/http_stream_client.h"

namespace aw::processor::providers::openai {

struct OpenAiEndpoint {
  std::string url;                       // the full .../chat/completions URL, query included (Azure)
  std::vector<HttpHeader> auth_headers;  // Authorization: Bearer ... or api-key: ...; may be empty
  // openai and azure name the limit max_completion_tokens (required by their reasoning models); the others only
  // know max_tokens.
  bool use_max_completion_tokens = false;
  // stream_options.include_usage: only openai and azure accept it; other servers may reject unknown members.
  bool include_usage = false;
};

// POST body: {"model","stream","stream_options"?,"temperature"?,"max_completion_tokens"|"max_tokens"?,"messages"}.
// Settings the request does not have are left out. Fails when a text is not valid UTF-8.
Result<HttpRequest> build_chat_request(const OpenAiEndpoint& endpoint, const LlmRequest& request);

}  // namespace aw::processor::providers::openai
