// AnthropicStreamDecoder: the Messages API event stream (agent-runtime.md §7.3). message_start carries the input
// token count; content_block_delta with a text_delta carries text (other deltas, e.g. tool input or thinking, are
// skipped); message_delta the stop_reason and the output token count; message_stop ends the reply; ping is
// ignored; an error event fails the request with its message. Unknown event types are ignored, as Anthropic asks.
// A body that ends before message_stop: "Invalid response from <provider>: stream ended before message_stop".
// Thread-safety: one decoder per response.
#pragma once

#include <optional>
#include <string>

#include "processor/providers/provider_protocol.h"

namespace aw::processor::providers::anthropic {

class AnthropicStreamDecoder : public StreamDecoder {
 public:
  explicit AnthropicStreamDecoder(std::string provider) : provider_(std::move(provider)) {}

  // StreamDecoder
  Status on_event(const SseEvent& event, std::string& delta) override;
  bool is_done() const override { return done_; }
  Status on_end_of_body() override;
  std::optional<LlmUsage> usage() const override;

  // The stop_reason of message_delta ("end_turn", "max_tokens", ...); empty before it arrived.
  const std::string& stop_reason() const { return stop_reason_; }

 private:
  const std::string provider_;
  bool done_ = false;
  bool has_usage_ = false;
  LlmUsage usage_;
  std::string stop_reason_;
};

}  // namespace aw::processor::providers::anthropic
