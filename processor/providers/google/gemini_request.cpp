// Gemini request (see gemini_request.h).
#include "processor/providers/google/gemini_request.h"

#include "processor/providers/chat_turns.h"
#include "processor/providers/json_writer.h"
#include "processor/providers/url_util.h"

namespace aw::processor::providers::google {

std::string gemini_url(const GeminiEndpoint& endpoint, const std::string& model, bool stream) {
  std::string_view name = model;
  constexpr std::string_view kPrefix = "models/";
  if (name.substr(0, kPrefix.size()) == kPrefix) name.remove_prefix(kPrefix.size());
  return endpoint.base_url + "/v1beta/models/" + percent_encode(name) +
         (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
}

Result<HttpRequest> build_generate_request(const GeminiEndpoint& endpoint, const LlmRequest& request) {
  const ChatTurns turns = to_chat_turns(request.messages);
  JsonWriter w;
  w.start_object();
  w.key("contents");
  w.start_array();
  for (const LlmMessage& m : turns.messages) {
    w.start_object();
    w.key("role");
    w.string(m.role == "assistant" ? "model" : "user");
    w.key("parts");
    w.start_array();
    w.start_object();
    w.key("text");
    w.string(m.content);
    w.end_object();
    w.end_array();
    w.end_object();
  }
  w.end_array();
  if (!turns.system.empty()) {
    w.key("systemInstruction");
    w.start_object();
    w.key("parts");
    w.start_array();
    w.start_object();
    w.key("text");
    w.string(turns.system);
    w.end_object();
    w.end_array();
    w.end_object();
  }
  if (request.temperature || request.max_tokens) {
    w.key("generationConfig");
    w.start_object();
    if (request.temperature) {
      w.key("temperature");
      w.number(*request.temperature);
    }
    if (request.max_tokens) {
      w.key("maxOutputTokens");
      w.integer(*request.max_tokens);
    }
    w.end_object();
  }
  w.end_object();
  auto body = w.finish(request.provider);
  if (!body.is_ok()) return body.status();

  HttpRequest http;
  http.url = gemini_url(endpoint, request.model, request.stream);
  http.headers = {HttpHeader{"x-goog-api-key", endpoint.api_key}};
  http.body = std::move(body.value());
  return http;
}

}  // namespace aw::processor::providers::google
