// Anthropic as a ProviderProtocol, and its registration (agent-runtime.md §7.1): configured when
// ANTHROPIC_API_KEY is set; endpoint AW_ANTHROPIC_BASE_URL (https://api.anthropic.com) + /v1/messages.
// Thread-safety: AnthropicProtocol is immutable; free functions are safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "processor/providers/anthropic/anthropic_request.h"
#include "processor/providers/provider_protocol.h"
#include "processor/providers/provider_registry.h"

namespace aw::processor::providers::anthropic {

class AnthropicProtocol : public ProviderProtocol {
 public:
  explicit AnthropicProtocol(AnthropicEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

  const AnthropicEndpoint& endpoint() const { return endpoint_; }

  // ProviderProtocol
  Result<HttpRequest> build_request(const LlmRequest& request) const override;
  std::unique_ptr<StreamDecoder> new_stream_decoder(std::string provider) const override;
  Result<Completion> parse_completion(std::string_view provider, std::string_view body) const override;

 private:
  const AnthropicEndpoint endpoint_;
};

// A non-streaming Messages reply: the `text` blocks of `content` concatenated, and usage (§7.6).
Result<Completion> parse_message(std::string_view provider, std::string_view body);

ProviderRegistration anthropic_registration();

}  // namespace aw::processor::providers::anthropic
