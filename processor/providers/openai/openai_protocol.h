// The OpenAI family as a ProviderProtocol, and the registrations of its five providers (agent-runtime.md §7.1):
//   openai             OPENAI_API_KEY; AW_OPENAI_BASE_URL, else OPENAI_BASE_URL, else https://api.openai.com/v1
//   azure              AZURE_OPENAI_API_KEY, AZURE_RESOURCE_NAME, AZURE_DEPLOYMENT; AZURE_API_VERSION (2024-10-21)
//   xai                XAI_API_KEY; AW_XAI_BASE_URL (https://api.x.ai/v1)
//   openai-compatible  OPENAI_COMPATIBLE_BASE_URL; OPENAI_COMPATIBLE_API_KEY (optional)
//   ollama             always; OLLAMA_BASE_URL (http://localhost:11434/v1)
// Thread-safety: OpenAiProtocol is immutable; free functions are safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "processor/providers/openai/openai_request.h"
#include "processor/providers/provider_protocol.h"
#include "processor/providers/provider_registry.h"

namespace aw::processor::providers::openai {

class OpenAiProtocol : public ProviderProtocol {
 public:
  explicit OpenAiProtocol(OpenAiEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

  const OpenAiEndpoint& endpoint() const { return endpoint_; }

  // ProviderProtocol
  Result<HttpRequest> build_request(const LlmRequest& request) const override;
  std::unique_ptr<StreamDecoder> new_stream_decoder(std::string provider) const override;
  Result<Completion> parse_completion(std::string_view provider, std::string_view body) const override;

 private:
  const OpenAiEndpoint endpoint_;
};

// A non-streaming chat completion: choices[0].message.content (null reads as empty) and usage (§7.6).
Result<Completion> parse_chat_completion(std::string_view provider, std::string_view body);

ProviderRegistration openai_registration();
ProviderRegistration azure_registration();
ProviderRegistration xai_registration();
ProviderRegistration openai_compatible_registration();
ProviderRegistration ollama_registration();

}  // namespace aw::processor::providers::openai
