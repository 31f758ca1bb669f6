// Google Gemini (see gemini_protocol.h).
#include "processor/providers/google/gemini_protocol.h"

#include "processor/providers/google/gemini_stream_decoder.h"
#include "processor/providers/provider_json.h"

namespace aw::processor::providers::google {

Result<HttpRequest> GeminiProtocol::build_request(const LlmRequest& request) const {
  return build_generate_request(endpoint_, request);
}

std::unique_ptr<StreamDecoder> GeminiProtocol::new_stream_decoder(std::string provider) const {
  return std::make_unique<GeminiStreamDecoder>(std::move(provider));
}

Result<Completion> GeminiProtocol::parse_completion(std::string_view provider, std::string_view body) const {
  return parse_generate_response(provider, body);
}

Result<Completion> parse_generate_response(std::string_view provider, std::string_view body) {
  auto doc = parse_provider_json(provider, body, "body");
  if (!doc.is_ok()) return doc.status();
  // A server that streams without alt=sse answers with an array of responses; read them all.
  Completion completion;
  std::string finish_reason;
  const json::Value& reply = doc.value();
  if (reply.IsArray()) {
    for (const json::Value& response : reply.GetArray()) {
      Status s = read_gemini_response(provider, response, completion.text, finish_reason, completion.usage);
      if (!s.is_ok()) return s;
    }
    return completion;
  }
  Status s = read_gemini_response(provider, reply, completion.text, finish_reason, completion.usage);
  if (!s.is_ok()) return s;
  return completion;
}

ProviderRegistration google_registration() {
  return {"google", {"GOOGLE_API_KEY", "AW_GOOGLE_BASE_URL"}, [](const ProviderVariables& v) {
            auto key = v.find("GOOGLE_API_KEY");
            if (key == v.end() || key->second.empty()) return std::unique_ptr<ProviderProtocol>();
            auto base = v.find("AW_GOOGLE_BASE_URL");
            GeminiEndpoint endpoint;
            endpoint.base_url =
                trim_base_url(base != v.end() ? base->second : "https://generativelanguage.googleapis.com");
            endpoint.api_key = key->second;
            return std::unique_ptr<ProviderProtocol>(std::make_unique<GeminiProtocol>(std::move(endpoint)));
          }};
}

}  // namespace aw::processor::providers::google
