// OpenAI chat completions request (see openai_request.h).
#include "processor/providers/openai/openai_request.h"

#include "processor/providers/json_writer.h"

namespace aw::processor::providers::openai {

Result<HttpRequest> build_chat_request(const OpenAiEndpoint& endpoint, const LlmRequest& request) {
  JsonWriter w;
  w.start_object();
  w.key("model");
  w.string(request.model);
  w.key("stream");
  w.boolean(request.stream);
  if (request.stream && endpoint.include_usage) {
    w.key("stream_options");
    w.start_object();
    w.key("include_usage");
    w.boolean(true);
    w.end_object();
  }
  if (request.temperature) {
    w.key("temperature");
    w.number(*request.temperature);
  }
  if (request.max_tokens) {
    w.key(endpoint.use_max_completion_tokens ? "max_completion_tokens" : "max_tokens");
    w.integer(*request.max_tokens);
  }
  w.key("messages");
  w.start_array();
  for (const LlmMessage& m : request.messages) {
    w.start_object();
    w.key("role");
    w.string(m.role);
    w.key("content");
    w.string(m.content);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  auto body = w.finish(request.provider);
  if (!body.is_ok()) return body.status();

  HttpRequest http;
  http.url = endpoint.url;
  http.headers = endpoint.auth_headers;
  http.body = std::move(body.value());
  return http;
}

}  // namespace aw::processor::providers::openai
