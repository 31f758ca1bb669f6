// AnthropicFormat: Anthropic messages: `event:`/`data:` pairs message_start (usage.input_tokens), content_block_start,
// ping, content_block_delta text_delta per chunk, content_block_stop, message_delta (stop_reason end_turn,
// usage.output_tokens), message_stop. Thread-safety: stateless.
#pragma once

#include "tools/aw-fake-llm/reply_format.h"

namespace aw::fake_llm {

class AnthropicFormat final : public ReplyFormat {
 public:
  // ReplyFormat
  const char* stream_content_type() const override;
  const char* id_prefix() const override;
  std::vector<std::string> stream_open(const ReplyContext& context) const override;
  std::string stream_chunk(const ReplyContext& context, std::string_view text, bool last) const override;
  std::vector<std::string> stream_close(const ReplyContext& context, bool any_chunk) const override;
  std::string stream_error(std::string_view message) const override;
  std::string malformed_frame(std::string_view line) const override;
  std::string complete_body(const ReplyContext& context, std::string_view text) const override;
  std::string error_body(int status, std::string_view message) const override;
};

}  // namespace aw::fake_llm
