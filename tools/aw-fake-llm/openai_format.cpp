// OpenAI chat completions on the wire (see openai_format.h).
#include "tools/aw-fake-llm/openai_format.h"

#include "common/json.h"

namespace aw::fake_llm {

namespace {

std::string data_frame(std::string_view json) {
  std::string frame = "data: ";
  frame += json;
  frame += "\n\n";
  return frame;
}

std::string usage_json(const ReplyContext& c) {
  return "{\"prompt_tokens\":" + std::to_string(c.input_tokens) +
         ",\"completion_tokens\":" + std::to_string(c.output_tokens) +
         ",\"total_tokens\":" + std::to_string(c.input_tokens + c.output_tokens) + "}";
}

// The fields every chunk starts with.
std::string chunk_head(const ReplyContext& c) {
  std::string json = "{\"id\":";
  json::append_quoted(json, c.id);
  json += ",\"object\":\"chat.completion.chunk\",\"created\":" + std::to_string(c.created_s) + ",\"model\":";
  json::append_quoted(json, c.model);
  json += ",\"system_fingerprint\":\"fp_aw_fake_llm\"";
  return json;
}

std::string choice_chunk(const ReplyContext& c, std::string_view delta_json, std::string_view finish_reason_json) {
  std::string json = chunk_head(c);
  json += ",\"choices\":[{\"index\":0,\"delta\":";
  json += delta_json;
  json += ",\"logprobs\":null,\"finish_reason\":";
  json += finish_reason_json;
  json += "}]";
  // Like the real API: with include_usage every chunk carries "usage": null, and only the last one a value.
  if (c.include_usage) json += ",\"usage\":null";
  json += "}";
  return data_frame(json);
}

}  // namespace

const char* OpenAiFormat::stream_content_type() const { return "text/event-stream; charset=utf-8"; }

const char* OpenAiFormat::id_prefix() const { return "chatcmpl-"; }

std::vector<std::string> OpenAiFormat::stream_open(const ReplyContext& context) const {
  // The real API opens with the role and an empty content: clients must not count it as text.
  return {choice_chunk(context, "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null")};
}

std::string OpenAiFormat::stream_chunk(const ReplyContext& context, std::string_view text, bool) const {
  std::string delta = "{\"content\":";
  json::append_quoted(delta, text);
  delta += "}";
  return choice_chunk(context, delta, "null");
}

std::vector<std::string> OpenAiFormat::stream_close(const ReplyContext& context, bool) const {
  std::vector<std::string> frames{choice_chunk(context, "{}", "\"stop\"")};
  if (context.include_usage) {
    frames.push_back(data_frame(chunk_head(context) + ",\"choices\":[],\"usage\":" + usage_json(context) + "}"));
  }
  frames.push_back(data_frame("[DONE]"));
  return frames;
}

std::string OpenAiFormat::stream_error(std::string_view message) const {
  std::string json = "{\"error\":{\"message\":";
  json::append_quoted(json, message);
  json += ",\"type\":\"server_error\",\"param\":null,\"code\":null}}";
  return data_frame(json);
}

std::string OpenAiFormat::malformed_frame(std::string_view line) const { return data_frame(line); }

std::string OpenAiFormat::complete_body(const ReplyContext& context, std::string_view text) const {
  std::string json = "{\"id\":";
  json::append_quoted(json, context.id);
  json += ",\"object\":\"chat.completion\",\"created\":" + std::to_string(context.created_s) + ",\"model\":";
  json::append_quoted(json, context.model);
  json += ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":";
  json::append_quoted(json, text);
  json += ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":" + usage_json(context);
  json += ",\"system_fingerprint\":\"fp_aw_fake_llm\"}";
  return json;
}

std::string OpenAiFormat::error_body(int status, std::string_view message) const {
  const char* type = status == 429 ? "rate_limit_exceeded" : status < 500 ? "invalid_request_error" : "server_error";
  std::string json = "{\"error\":{\"message\":";
  json::append_quoted(json, message);
  json += ",\"type\":\"";
  json += type;
  json += "\",\"param\":null,\"code\":";
  json += status == 401 ? "\"invalid_api_key\"" : "null";
  json += "}}";
  return json;
}

}  // namespace aw::fake_llm
