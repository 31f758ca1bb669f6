// Gemini generateContent on the wire (see gemini_format.h).
#include "tools/aw-fake-llm/gemini_format.h"

#include "common/json.h"

namespace aw::fake_llm {

namespace {

// Google's servers end SSE lines with CRLF; clients must strip the '\r'.
std::string data_frame(std::string_view json) {
  std::string frame = "data: ";
  frame += json;
  frame += "\r\n\r\n";
  return frame;
}

const char* status_name(int status) {
  switch (status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 500:
      return "INTERNAL";
    case 503:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return "UNKNOWN";
  }
}

// One GenerateContentResponse with one text part. `finished`: the last response, with finishReason and the
// complete usageMetadata (earlier ones report the prompt only, as the real API does).
std::string response_json(const ReplyContext& c, std::string_view text, bool finished) {
  std::string json = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":";
  json::append_quoted(json, text);
  json += "}],\"role\":\"model\"}";
  if (finished) json += ",\"finishReason\":\"STOP\"";
  json += ",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":" + std::to_string(c.input_tokens);
  if (finished) {
    json += ",\"candidatesTokenCount\":" + std::to_string(c.output_tokens) +
            ",\"totalTokenCount\":" + std::to_string(c.input_tokens + c.output_tokens);
  } else {
    json += ",\"totalTokenCount\":" + std::to_string(c.input_tokens);
  }
  json += "},\"modelVersion\":";
  json::append_quoted(json, c.model);
  json += ",\"responseId\":";
  json::append_quoted(json, c.id);
  json += "}";
  return json;
}

std::string error_json(int status, std::string_view message) {
  std::string json = "{\"error\":{\"code\":" + std::to_string(status) + ",\"message\":";
  json::append_quoted(json, message);
  json += ",\"status\":\"";
  json += status_name(status);
  json += "\"}}";
  return json;
}

}  // namespace

const char* GeminiFormat::stream_content_type() const { return "text/event-stream"; }

const char* GeminiFormat::id_prefix() const { return ""; }

std::vector<std::string> GeminiFormat::stream_open(const ReplyContext&) const { return {}; }

std::string GeminiFormat::stream_chunk(const ReplyContext& context, std::string_view text, bool last) const {
  return data_frame(response_json(context, text, last));
}

std::vector<std::string> GeminiFormat::stream_close(const ReplyContext& context, bool any_chunk) const {
  // With text, the last chunk already carried finishReason; an empty answer is one finished response without text.
  if (any_chunk) return {};
  return {data_frame(response_json(context, "", true))};
}

std::string GeminiFormat::stream_error(std::string_view message) const { return data_frame(error_json(500, message)); }

std::string GeminiFormat::malformed_frame(std::string_view line) const { return data_frame(line); }

std::string GeminiFormat::complete_body(const ReplyContext& context, std::string_view text) const {
  return response_json(context, text, true);
}

std::string GeminiFormat::error_body(int status, std::string_view message) const { return error_json(status, message); }

}  // namespace aw::fake_llm
