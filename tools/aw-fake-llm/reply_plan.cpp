// Turning a rule into a reply plan (see reply_plan.h).
#include "tools/aw-fake-llm/reply_plan.h"

#include <algorithm>
#include <iterator>

#include "tools/aw-fake-llm/text_split.h"

namespace aw::fake_llm {

std::string ReplyPlan::text() const {
  std::string joined;
  for (const auto& c : chunks) joined += c;
  return joined;
}

ReplyPlan plan_reply(const Rule* rule, const std::optional<std::string>& script_default, const ReplyDefaults& defaults,
                     const LlmCall& call) {
  ReplyPlan plan;
  plan.delay_per_chunk = defaults.chunk_delay;

  std::string fallback;
  if (script_default) {
    fallback = *script_default;
  } else if (defaults.default_reply) {
    fallback = *defaults.default_reply;
  } else {
    fallback = "Echo: " + call.last_user_text;
  }

  if (rule == nullptr) {
    plan.chunks = split_words(fallback);
  } else {
    if (rule->empty) {
      // No chunks at all.
    } else if (rule->chunks) {
      // Empty strings would be zero-length HTTP chunks, which end a chunked body: they are dropped.
      std::copy_if(rule->chunks->begin(), rule->chunks->end(), std::back_inserter(plan.chunks),
                   [](const std::string& c) { return !c.empty(); });
    } else {
      const std::string& text = rule->reply ? *rule->reply : fallback;
      plan.chunks = rule->chunk_size ? split_code_points(text, *rule->chunk_size) : split_words(text);
    }
    if (rule->delay_ms_per_chunk) plan.delay_per_chunk = std::chrono::milliseconds(*rule->delay_ms_per_chunk);
    plan.failure = rule->fail;
    plan.cut_after_chunks = rule->cut_after_chunks;
    plan.stall_after_chunks = rule->stall_after_chunks;
    plan.malformed = rule->malformed;
    plan.malformed_after_chunks = rule->malformed_after_chunks;
    plan.stream_error = rule->stream_error;
  }

  // Roughly four characters per token, like the providers' English average; tests that assert exact counts
  // script `usage`.
  plan.input_tokens = std::max<std::int64_t>(1, (call.prompt_code_points + 3) / 4);
  plan.output_tokens = static_cast<std::int64_t>(plan.chunks.size());
  if (rule != nullptr && rule->usage) {
    plan.input_tokens = rule->usage->input;
    plan.output_tokens = rule->usage->output;
  }
  return plan;
}

}  // namespace aw::fake_llm
