// Title jobs (agent-runtime.md §10.2, §7.6; bus-protocol.md §9): the processor's half of chat titles. It makes one
// non-streaming LLM request with the fixed prompt texts and maxTokens 20 and reports the raw completion; the
// gateway cleans it up, falls back to a derived title, and applies it.
// Thread-safety: pure parse/serialise functions; run_title_job blocks the calling thread for the request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "processor/llm/llm_client.h"

namespace aw::processor {

inline constexpr std::string_view kTitleSystemPrompt =
    "You are a helpful assistant that turns conversations into concise titles.";
inline constexpr std::string_view kTitleInstruction =
    "Below is a conversation between a user and an assistant. Generate a short, punchy title (3–6 words) that "
    "captures its main topic.";
inline constexpr std::int64_t kTitleMaxTokens = 20;

// The bus `title` body: {dispatchId, worldId, chatId, provider, model, lines, timeoutMs}.
struct TitleJob {
  std::string dispatch_id;
  std::string world_id;
  std::string chat_id;
  std::string provider;
  std::string model;
  std::vector<std::string> lines;   // `-user: …` / `-assistant: …`, built by the gateway
  std::int64_t timeout_ms = 30000;  // AW_TITLE_TIMEOUT_MS
};

// What the processor answers: the raw completion text, or null (+ error) when the call failed or the provider is
// not configured here.
struct TitleResult {
  std::optional<std::string> title;
  std::string error;
};

Result<TitleJob> parse_title_job(std::string_view json_text);
Result<TitleJob> title_job_from_json(const json::Value& body);

// The request of §10.2: system prompt, user text = instruction + blank line + lines joined by '\n',
// stream false, maxTokens 20, timeout timeoutMs.
LlmRequest title_request(const TitleJob& job);

// Runs the job on the calling thread. `cancel` aborts it (e.g. at shutdown).
TitleResult run_title_job(const TitleJob& job, LlmClient& llm, const CancelToken& cancel = CancelToken());

// The bus `title-result` body: {v, kind:"title-result", processorId, dispatchId, worldId, chatId, title, error?}.
std::string title_result_to_json(const TitleJob& job, const TitleResult& result, std::string_view processor_id);

}  // namespace aw::processor
