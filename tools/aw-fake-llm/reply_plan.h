// ReplyPlan: what one LLM answer will be, independent of the wire format: the text chunks, their pacing, the
// token counts to report, and the faults to inject (HTTP failure, cut, stall, malformed line, in-stream error).
// Built from the selected rule, or from the defaults when no rule matched.
// Thread-safety: free functions and plain values.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/aw-fake-llm/llm_call.h"
#include "tools/aw-fake-llm/script.h"

namespace aw::fake_llm {

struct ReplyDefaults {
  std::optional<std::string> default_reply;  // --default-reply; else "Echo: <last user text>"
  std::chrono::milliseconds chunk_delay{0};  // --chunk-delay-ms
};

struct ReplyPlan {
  std::vector<std::string> chunks;  // the reply text, split; empty for an empty completion
  std::chrono::milliseconds delay_per_chunk{0};
  std::optional<RuleFailure> failure;
  std::optional<std::size_t> cut_after_chunks;
  std::optional<std::size_t> stall_after_chunks;
  std::optional<std::string> malformed;
  std::size_t malformed_after_chunks = 0;
  std::optional<RuleStreamError> stream_error;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;

  std::string text() const;  // the chunks joined
};

// The plan for `call`. `rule` is the selected rule (nullptr: none matched); `script_default` is the script's
// default_reply, which wins over defaults.default_reply.
ReplyPlan plan_reply(const Rule* rule, const std::optional<std::string>& script_default, const ReplyDefaults& defaults,
                     const LlmCall& call);

}  // namespace aw::fake_llm
