// Token counts of the OpenAI family: the `usage` object of a chunk or a reply (prompt_tokens, completion_tokens,
// total_tokens). Shared by the stream decoder and the non-streaming parser.
// Thread-safety: a free function.
#pragma once

#include <optional>

#include "processor/providers/provider_json.h"

namespace aw::processor::providers::openai {

// The counts of reply["usage"]; nullopt when the reply has no usage object. A missing total is the sum.
inline std::optional<LlmUsage> usage_of(const json::Value& reply) {
  const json::Value* u = find_object(reply, "usage");
  if (u == nullptr) return std::nullopt;
  LlmUsage usage;
  read_token_count(*u, "prompt_tokens", usage.input_tokens);
  read_token_count(*u, "completion_tokens", usage.output_tokens);
  if (!read_token_count(*u, "total_tokens", usage.total_tokens)) {
    usage.total_tokens = usage.input_tokens + usage.output_tokens;
  }
  return usage;
}

}  // namespace aw::processor::providers::openai
