// Anthropic (see anthropic_protocol.h).
#include "processor/providers/anthropic/anthropic_protocol.h"

#include "processor/providers/anthropic/anthropic_stream_decoder.h"
#include "processor/providers/provider_json.h"

namespace aw::processor::providers::anthropic {

Result<HttpRequest> AnthropicProtocol::build_request(const LlmRequest& request) const {
  return build_messages_request(endpoint_, request);
}

std::unique_ptr<StreamDecoder> AnthropicProtocol::new_stream_decoder(std::string provider) const {
  return std::make_unique<AnthropicStreamDecoder>(std::move(provider));
}

Result<Completion> AnthropicProtocol::parse_completion(std::string_view provider, std::string_view body) const {
  return parse_message(provider, body);
}

Result<Completion> parse_message(std::string_view provider, std::string_view body) {
  auto doc = parse_provider_json(provider, body, "body");
  if (!doc.is_ok()) return doc.status();
  const json::Value& reply = doc.value();
  if (json::get_string(reply, "type").value_or("") == "error") {
    auto message = error_message_of(reply);
    if (!message) return invalid_response(provider, "error without a message");
    return Status::error(kProviderErrorCode, *message);
  }
  const json::Value* content = find_array(reply, "content");
  if (content == nullptr) return invalid_response(provider, "no content in the reply");
  Completion completion;
  for (const json::Value& block : content->GetArray()) {
    if (json::get_string(block, "type").value_or("") != "text") continue;
    if (auto text = json::get_string(block, "text")) completion.text += *text;
  }
  if (const json::Value* u = find_object(reply, "usage")) {
    LlmUsage usage;
    read_token_count(*u, "input_tokens", usage.input_tokens);
    read_token_count(*u, "output_tokens", usage.output_tokens);
    usage.total_tokens = usage.input_tokens + usage.output_tokens;
    completion.usage = usage;
  }
  return completion;
}

ProviderRegistration anthropic_registration() {
  return {"anthropic", {"ANTHROPIC_API_KEY", "AW_ANTHROPIC_BASE_URL"}, [](const ProviderVariables& v) {
            auto key = v.find("ANTHROPIC_API_KEY");
            if (key == v.end() || key->second.empty()) return std::unique_ptr<ProviderProtocol>();
            auto base = v.find("AW_ANTHROPIC_BASE_URL");
            AnthropicEndpoint endpoint;
            endpoint.url = trim_base_url(base != v.end() ? base->second : "https://api.anthropic.com") + "/v1/messages";
            endpoint.api_key = key->second;
            return std::unique_ptr<ProviderProtocol>(std::make_unique<AnthropicProtocol>(std::move(endpoint)));
          }};
}

}  // namespace aw::processor::providers::anthropic
