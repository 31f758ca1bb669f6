// GeminiStreamDecoder: the alt=sse stream of streamGenerateContent (agent-runtime.md §7.3). Each event is a whole
// GenerateContentResponse: text from candidates[0].content.parts[].text (parts marked `thought` are skipped),
// usageMetadata (promptTokenCount, candidatesTokenCount, totalTokenCount; the last one wins), an `error` object
// fails the request. The stream has no end marker: a candidate's finishReason, or a prompt blocked by
// promptFeedback.blockReason, marks the reply complete, and the body then ends. A blocked candidate without text is
// an empty completion. A body that ends before either: "Invalid response from <provider>: stream ended before
// finishReason".
// Thread-safety: one decoder per response.
#pragma once

#include <optional>
#include <string>

#include "processor/providers/provider_json.h"
#include "processor/providers/provider_protocol.h"

namespace aw::processor::providers::google {

class GeminiStreamDecoder : public StreamDecoder {
 public:
  explicit GeminiStreamDecoder(std::string provider) : provider_(std::move(provider)) {}

  // StreamDecoder
  // Never done before the body ends: usageMetadata may follow the finishReason.
  Status on_event(const SseEvent& event, std::string& delta) override;
  bool is_done() const override { return false; }
  Status on_end_of_body() override;
  std::optional<LlmUsage> usage() const override { return usage_; }

  // The finishReason ("STOP", "MAX_TOKENS", "SAFETY", ...) or the prompt's blockReason; empty before one arrived.
  const std::string& finish_reason() const { return finish_reason_; }

 private:
  const std::string provider_;
  std::string finish_reason_;
  std::optional<LlmUsage> usage_;
};

// Shared with the non-streaming parser: appends the text of `response` (one GenerateContentResponse) to `text`,
// records its finish or block reason and usage. Fails on an `error` object or malformed parts.
Status read_gemini_response(std::string_view provider, const json::Value& response, std::string& text,
                            std::string& finish_reason, std::optional<LlmUsage>& usage);

}  // namespace aw::processor::providers::google
