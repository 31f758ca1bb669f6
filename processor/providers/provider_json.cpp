// Provider JSON helpers (see provider_json.h).
#include "processor/providers/provider_json.h"

#include "processor/providers/provider_protocol.h"

namespace aw::processor::providers {
namespace {

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

Status invalid_response(std::string_view provider, std::string_view detail) {
  std::string text = "Invalid response from ";
  text.append(provider).append(": ").append(detail);
  return Status::error(kInvalidResponseCode, std::move(text));
}

Result<json::Document> parse_provider_json(std::string_view provider, std::string_view text, std::string_view what) {
  if (!json::is_valid_utf8(text)) return invalid_response(provider, "invalid UTF-8");
  auto doc = json::parse_untrusted(text);
  if (!doc.is_ok() || !(doc->IsObject() || doc->IsArray())) {
    return invalid_response(provider, "malformed JSON " + std::string(what));
  }
  return doc;
}

const json::Value* find_object(const json::Value& object, std::string_view key) {
  const json::Value* v = json::find(object, key);
  return v != nullptr && v->IsObject() ? v : nullptr;
}

const json::Value* find_array(const json::Value& object, std::string_view key) {
  const json::Value* v = json::find(object, key);
  return v != nullptr && v->IsArray() ? v : nullptr;
}

std::optional<std::string> error_message_of(const json::Value& value) {
  if (value.IsArray()) {
    if (value.Empty()) return std::nullopt;
    return error_message_of(value[0]);
  }
  if (!value.IsObject()) return std::nullopt;
  std::optional<std::string> message;
  if (const json::Value* error = find_object(value, "error")) {
    message = json::get_string(*error, "message");
  } else if (auto text = json::get_string(value, "error")) {
    message = text;
  } else if (auto top = json::get_string(value, "message")) {
    message = top;
  } else if (auto detail = json::get_string(value, "detail")) {
    message = detail;
  }
  if (!message || is_blank(*message)) return std::nullopt;
  return message;
}

bool read_token_count(const json::Value& object, std::string_view key, std::int64_t& out) {
  auto v = json::get_int(object, key);
  if (!v || *v < 0) return false;
  out = *v;
  return true;
}

}  // namespace aw::processor::providers
