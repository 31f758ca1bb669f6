// Reading LLM requests (see llm_call.h).
#include "tools/aw-fake-llm/llm_call.h"

#include "common/json.h"
#include "tools/aw-fake-llm/text_split.h"

namespace aw::fake_llm {

namespace {

// Tool JSON schemas nest deeper than chat messages; 128 levels hold any real request.
constexpr int kMaxBodyDepth = 128;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The text of a message content: a string, or the `text` of each part of an array (OpenAI content parts,
// Anthropic text blocks, Gemini parts), joined by newlines. Other parts (images, tool results) carry no text.
std::string content_text(const json::Value& content) {
  if (content.IsString()) return std::string(content.GetString(), content.GetStringLength());
  std::string text;
  if (!content.IsArray()) return text;
  bool first = true;
  for (const auto& part : content.GetArray()) {
    if (!part.IsObject()) continue;
    const std::optional<std::string> piece = json::get_string(part, "text");
    if (!piece) continue;
    if (!first) text.push_back('\n');
    text += *piece;
    first = false;
  }
  return text;
}

// Reads a list of messages: `content_key` holds the content ("content", or "parts" for Gemini); a message without
// a role counts as the user's (Gemini allows that).
void read_messages(const json::Value& body, const char* list_key, const char* content_key, LlmCall& call) {
  const json::Value* list = json::find(body, list_key);
  if (list == nullptr || !list->IsArray()) return;
  for (const auto& message : list->GetArray()) {
    if (!message.IsObject()) continue;
    const json::Value* content = json::find(message, content_key);
    if (content == nullptr) continue;
    std::string text = content_text(*content);
    call.prompt_code_points += count_code_points(text);
    if (json::get_string(message, "role").value_or("user") == "user") call.last_user_text = std::move(text);
  }
}

}  // namespace

const char* format_name(LlmFormat format) {
  switch (format) {
    case LlmFormat::OpenAi:
      return "openai";
    case LlmFormat::Anthropic:
      return "anthropic";
    case LlmFormat::Gemini:
      return "gemini";
  }
  return "openai";
}

std::optional<LlmEndpoint> classify_llm_path(std::string_view path) {
  if (ends_with(path, "/chat/completions")) return LlmEndpoint{LlmFormat::OpenAi, "", false};
  if (ends_with(path, "/v1/messages")) return LlmEndpoint{LlmFormat::Anthropic, "", false};
  const std::size_t models = path.rfind("/models/");
  if (models == std::string_view::npos) return std::nullopt;
  const std::string_view rest = path.substr(models + 8);
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view method = rest.substr(colon + 1);
  if (method != "streamGenerateContent" && method != "generateContent") return std::nullopt;
  return LlmEndpoint{LlmFormat::Gemini, std::string(rest.substr(0, colon)), method == "streamGenerateContent"};
}

Result<LlmCall> read_llm_call(const LlmEndpoint& endpoint, const HttpRequest& request) {
  Result<json::Document> parsed = json::parse_untrusted(request.body, kMaxBodyDepth);
  if (!parsed) return Status::invalid_request("request body is not valid JSON: " + parsed.status().message());
  const json::Document& body = parsed.value();
  if (!body.IsObject()) return Status::invalid_request("request body must be a JSON object");

  LlmCall call;
  call.format = endpoint.format;
  switch (endpoint.format) {
    case LlmFormat::OpenAi: {
      call.model = json::get_string(body, "model").value_or("");
      call.stream = json::get_bool(body, "stream").value_or(false);
      if (const json::Value* options = json::find(body, "stream_options"); options && options->IsObject()) {
        call.include_usage = json::get_bool(*options, "include_usage").value_or(false);
      }
      read_messages(body, "messages", "content", call);
      break;
    }
    case LlmFormat::Anthropic: {
      call.model = json::get_string(body, "model").value_or("");
      call.stream = json::get_bool(body, "stream").value_or(false);
      if (const json::Value* system = json::find(body, "system")) {
        call.prompt_code_points += count_code_points(content_text(*system));
      }
      read_messages(body, "messages", "content", call);
      break;
    }
    case LlmFormat::Gemini: {
      call.model = endpoint.gemini_model;
      call.stream = endpoint.gemini_stream;
      if (call.stream && request.query_param("alt") != "sse") {
        return Status::invalid_request("aw-fake-llm streams Gemini only as server-sent events: add ?alt=sse");
      }
      if (const json::Value* system = json::find(body, "systemInstruction"); system && system->IsObject()) {
        if (const json::Value* parts = json::find(*system, "parts")) {
          call.prompt_code_points += count_code_points(content_text(*parts));
        }
      }
      read_messages(body, "contents", "parts", call);
      break;
    }
  }
  return call;
}

}  // namespace aw::fake_llm
