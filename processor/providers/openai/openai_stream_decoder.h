// OpenAiStreamDecoder: the chat completions event stream (agent-runtime.md §7.3): `data: <chunk JSON>` events
// ending with `data: [DONE]`. Text from choices[0].delta.content; finish_reason; usage from the chunk that carries
// it (prompt_tokens, completion_tokens, total_tokens); an `error` object fails the request with its message.
// A stream that ends without [DONE] is accepted only after a finish_reason (some OpenAI-compatible servers omit
// [DONE]); otherwise it was cut: "Invalid response from <provider>: stream ended before [DONE]".
// Thread-safety: one decoder per response.
#pragma once

#include <optional>
#include <string>

#include "processor/providers/provider_protocol.h"

namespace aw::processor::providers::openai {

class OpenAiStreamDecoder : public StreamDecoder {
 public:
  explicit OpenAiStreamDecoder(std::string provider) : provider_(std::move(provider)) {}

  // StreamDecoder
  Status on_event(const SseEvent& event, std::string& delta) override;
  bool is_done() const override { return done_; }
  Status on_end_of_body() override;
  std::optional<LlmUsage> usage() const override { return usage_; }

  // The last finish_reason ("stop", "length", ...); empty before one arrived.
  const std::string& finish_reason() const { return finish_reason_; }

 private:
  const std::string provider_;
  bool done_ = false;
  std::string finish_reason_;
  std::optional<LlmUsage> usage_;
};

}  // namespace aw::processor::providers::openai
