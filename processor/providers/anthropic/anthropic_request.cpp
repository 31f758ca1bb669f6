// Anthropic Messages request (see anthropic_request.h).
#include "processor/providers/anthropic/anthropic_request.h"

#include <algorithm>

#include "processor/providers/chat_turns.h"
#include "processor/providers/json_writer.h"

namespace aw::processor::providers::anthropic {

Result<HttpRequest> build_messages_request(const AnthropicEndpoint& endpoint, const LlmRequest& request) {
  const ChatTurns turns = to_chat_turns(request.messages);
  JsonWriter w;
  w.start_object();
  w.key("model");
  w.string(request.model);
  w.key("max_tokens");
  w.integer(request.max_tokens.value_or(kDefaultMaxTokens));
  if (!turns.system.empty()) {
    w.key("system");
    w.string(turns.system);
  }
  if (request.temperature) {
    w.key("temperature");
    w.number(std::clamp(*request.temperature, 0.0, 1.0));
  }
  if (request.stream) {
    w.key("stream");
    w.boolean(true);
  }
  w.key("messages");
  w.start_array();
  for (const LlmMessage& m : turns.messages) {
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
  http.headers = {HttpHeader{"x-api-key", endpoint.api_key}, HttpHeader{"anthropic-version", kApiVersion}};
  http.body = std::move(body.value());
  return http;
}

}  // namespace aw::processor::providers::anthropic
