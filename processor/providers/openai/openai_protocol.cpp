// The OpenAI family (see openai_protocol.h).
#include "processor/providers/openai/openai_protocol.h"

#include "processor/providers/openai/openai_stream_decoder.h"
#include "processor/providers/openai/openai_usage.h"
#include "processor/providers/provider_json.h"
#include "processor/providers/url_util.h"

namespace aw::processor::providers::openai {
namespace {

std::optional<std::string> lookup(const ProviderVariables& variables, std::string_view name) {
  auto it = variables.find(name);
  if (it == variables.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::unique_ptr<ProviderProtocol> make(const std::string& base_url, std::vector<HttpHeader> auth, bool openai_extras) {
  OpenAiEndpoint endpoint;
  endpoint.url = trim_base_url(base_url) + "/chat/completions";
  endpoint.auth_headers = std::move(auth);
  endpoint.use_max_completion_tokens = openai_extras;
  endpoint.include_usage = openai_extras;
  return std::make_unique<OpenAiProtocol>(std::move(endpoint));
}

std::vector<HttpHeader> bearer(const std::string& key) { return {HttpHeader{"Authorization", "Bearer " + key}}; }

}  // namespace

Result<HttpRequest> OpenAiProtocol::build_request(const LlmRequest& request) const {
  return build_chat_request(endpoint_, request);
}

std::unique_ptr<StreamDecoder> OpenAiProtocol::new_stream_decoder(std::string provider) const {
  return std::make_unique<OpenAiStreamDecoder>(std::move(provider));
}

Result<Completion> OpenAiProtocol::parse_completion(std::string_view provider, std::string_view body) const {
  return parse_chat_completion(provider, body);
}

Result<Completion> parse_chat_completion(std::string_view provider, std::string_view body) {
  auto doc = parse_provider_json(provider, body, "body");
  if (!doc.is_ok()) return doc.status();
  const json::Value& reply = doc.value();
  if (const json::Value* error = json::find(reply, "error"); error != nullptr && !error->IsNull()) {
    auto message = error_message_of(reply);
    if (!message) return invalid_response(provider, "error without a message");
    return Status::error(kProviderErrorCode, *message);
  }
  const json::Value* choices = find_array(reply, "choices");
  if (choices == nullptr || choices->Empty() || !(*choices)[0].IsObject()) {
    return invalid_response(provider, "no choices in the reply");
  }
  Completion completion;
  if (const json::Value* message = find_object((*choices)[0], "message")) {
    if (const json::Value* content = json::find(*message, "content"); content != nullptr && !content->IsNull()) {
      if (!content->IsString()) return invalid_response(provider, "message.content is not a string");
      completion.text.assign(content->GetString(), content->GetStringLength());
    }
  }
  completion.usage = usage_of(reply);
  return completion;
}

ProviderRegistration openai_registration() {
  return {"openai", {"OPENAI_API_KEY", "AW_OPENAI_BASE_URL", "OPENAI_BASE_URL"}, [](const ProviderVariables& v) {
            auto key = lookup(v, "OPENAI_API_KEY");
            if (!key) return std::unique_ptr<ProviderProtocol>();
            // AW_OPENAI_BASE_URL is ours (§13); OPENAI_BASE_URL is the OpenAI SDKs' conventional name.
            std::string base = lookup(v, "AW_OPENAI_BASE_URL")
                                   .value_or(lookup(v, "OPENAI_BASE_URL").value_or("https://api.openai.com/v1"));
            return make(base, bearer(*key), true);
          }};
}

ProviderRegistration azure_registration() {
  return {"azure",
          {"AZURE_OPENAI_API_KEY", "AZURE_RESOURCE_NAME", "AZURE_DEPLOYMENT", "AZURE_API_VERSION"},
          [](const ProviderVariables& v) {
            auto key = lookup(v, "AZURE_OPENAI_API_KEY");
            auto resource = lookup(v, "AZURE_RESOURCE_NAME");
            auto deployment = lookup(v, "AZURE_DEPLOYMENT");
            if (!key || !resource || !deployment) return std::unique_ptr<ProviderProtocol>();
            OpenAiEndpoint endpoint;
            endpoint.url = "https://" + percent_encode(*resource) + ".openai.azure.com/openai/deployments/" +
                           percent_encode(*deployment) + "/chat/completions?api-version=" +
                           percent_encode(lookup(v, "AZURE_API_VERSION").value_or("2024-10-21"));
            endpoint.auth_headers = {HttpHeader{"api-key", *key}};
            endpoint.use_max_completion_tokens = true;
            endpoint.include_usage = true;
            return std::unique_ptr<ProviderProtocol>(std::make_unique<OpenAiProtocol>(std::move(endpoint)));
          }};
}

ProviderRegistration xai_registration() {
  return {"xai", {"XAI_API_KEY", "AW_XAI_BASE_URL"}, [](const ProviderVariables& v) {
            auto key = lookup(v, "XAI_API_KEY");
            if (!key) return std::unique_ptr<ProviderProtocol>();
            return make(lookup(v, "AW_XAI_BASE_URL").value_or("https://api.x.ai/v1"), bearer(*key), false);
          }};
}

ProviderRegistration openai_compatible_registration() {
  return {
      "openai-compatible", {"OPENAI_COMPATIBLE_API_KEY", "OPENAI_COMPATIBLE_BASE_URL"}, [](const ProviderVariables& v) {
        auto base = lookup(v, "OPENAI_COMPATIBLE_BASE_URL");
        if (!base) return std::unique_ptr<ProviderProtocol>();
        auto key = lookup(v, "OPENAI_COMPATIBLE_API_KEY");
        return make(*base, key ? bearer(*key) : std::vector<HttpHeader>{}, false);
      }};
}

ProviderRegistration ollama_registration() {
  return {"ollama", {"OLLAMA_BASE_URL"}, [](const ProviderVariables& v) {
            // Ollama ignores the key, but its OpenAI-compatible endpoint expects the header to be there.
            return make(lookup(v, "OLLAMA_BASE_URL").value_or("http://localhost:11434/v1"), bearer("ollama"), false);
          }};
}

}  // namespace aw::processor::providers::openai
