// Google Gemini as a ProviderProtocol, and its registration (agent-runtime.md §7.1): configured when
// GOOGLE_API_KEY is set; endpoint AW_GOOGLE_BASE_URL (https://generativelanguage.googleapis.com).
// Thread-safety: GeminiProtocol is immutable; free functions are safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "processor/providers/google/gemini_request.h"
#include "processor/providers/provider_protocol.h"
#include "processor/providers/provider_registry.h"

namespace aw::processor::providers::google {

class GeminiProtocol : public ProviderProtocol {
 public:
  explicit GeminiProtocol(GeminiEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

  const GeminiEndpoint& endpoint() const { return endpoint_; }

  // ProviderProtocol
  Result<HttpRequest> build_request(const LlmRequest& request) const override;
  std::unique_ptr<StreamDecoder> new_stream_decoder(std::string provider) const override;
  Result<Completion> parse_completion(std::string_view provider, std::string_view body) const override;

 private:
  const GeminiEndpoint endpoint_;
};

// A non-streaming generateContent reply: the parts' text concatenated, and usage (§7.6). A blocked prompt or
// candidate is an empty completion.
Result<Completion> parse_generate_response(std::string_view provider, std::string_view body);

ProviderRegistration google_registration();

}  // namespace aw::processor::providers::google
