// Anthropic messages on the wire (see anthropic_format.h).
#include "tools/aw-fake-llm/anthropic_format.h"

#include "common/json.h"

namespace aw::fake_llm {

namespace {

std::string event_frame(std::string_view event, std::string_view json) {
  std::string frame = "event: ";
  frame += event;
  frame += "\ndata: ";
  frame += json;
  frame += "\n\n";
  return frame;
}

const char* error_type(int status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 529:
      return "overloaded_error";
    default:
      return "api_error";
  }
}

std::string error_json(const char* type, std::string_view message) {
  std::string json = "{\"type\":\"error\",\"error\":{\"type\":\"";
  json += type;
  json += "\",\"message\":";
  json::append_quoted(json, message);
  json += "}}";
  return json;
}

}  // namespace

const char* AnthropicFormat::stream_content_type() const { return "text/event-stream; charset=utf-8"; }

const char* AnthropicFormat::id_prefix() const { return "msg_"; }

std::vector<std::string> AnthropicFormat::stream_open(const ReplyContext& context) const {
  std::string start = "{\"type\":\"message_start\",\"message\":{\"id\":";
  json::append_quoted(start, context.id);
  start += ",\"type\":\"message\",\"role\":\"assistant\",\"model\":";
  json::append_quoted(start, context.model);
  start += ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" +
           std::to_string(context.input_tokens) + ",\"output_tokens\":1}}}";
  return {
      event_frame("message_start", start),
      event_frame("content_block_start",
                  "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
      event_frame("ping", "{\"type\":\"ping\"}")};
}

std::string AnthropicFormat::stream_chunk(const ReplyContext&, std::string_view text, bool) const {
  std::string json = "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":";
  json::append_quoted(json, text);
  json += "}}";
  return event_frame("content_block_delta", json);
}

std::vector<std::string> AnthropicFormat::stream_close(const ReplyContext& context, bool) const {
  return {event_frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
          event_frame("message_delta",
                      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                      "\"usage\":{\"output_tokens\":" +
                          std::to_string(context.output_tokens) + "}}"),
          event_frame("message_stop", "{\"type\":\"message_stop\"}")};
}

std::string AnthropicFormat::stream_error(std::string_view message) const {
  return event_frame("error", error_json("api_error", message));
}

std::string AnthropicFormat::malformed_frame(std::string_view line) const {
  return event_frame("content_block_delta", line);
}

std::string AnthropicFormat::complete_body(const ReplyContext& context, std::string_view text) const {
  std::string json = "{\"id\":";
  json::append_quoted(json, context.id);
  json += ",\"type\":\"message\",\"role\":\"assistant\",\"model\":";
  json::append_quoted(json, context.model);
  json += ",\"content\":[";
  if (!text.empty()) {
    json += "{\"type\":\"text\",\"text\":";
    json::append_quoted(json, text);
    json += "}";
  }
  json += "],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" +
          std::to_string(context.input_tokens) + ",\"output_tokens\":" + std::to_string(context.output_tokens) + "}}";
  return json;
}

std::string AnthropicFormat::error_body(int status, std::string_view message) const {
  return error_json(error_type(status), message);
}

}  // namespace aw::fake_llm
