// AnthropicStreamDecoder (see anthropic_stream_decoder.h).
#include "processor/providers/anthropic/anthropic_stream_decoder.h"

#include "processor/providers/provider_json.h"

namespace aw::processor::providers::anthropic {
namespace {

// Appends the string member `key` of `object` to out; a present non-string member is malformed.
bool append_text(const json::Value& object, std::string_view key, std::string& out) {
  const json::Value* v = json::find(object, key);
  if (v == nullptr) return true;
  if (!v->IsString()) return false;
  out.append(v->GetString(), v->GetStringLength());
  return true;
}

}  // namespace

Status AnthropicStreamDecoder::on_event(const SseEvent& event, std::string& delta) {
  if (event.type == "ping") return Status::ok();  // keep-alives may carry no JSON worth parsing
  auto doc = parse_provider_json(provider_, event.data, "event");
  if (!doc.is_ok()) return doc.status();
  const json::Value& data = doc.value();
  if (!data.IsObject()) return invalid_response(provider_, "unexpected event");
  // The JSON `type` is authoritative; the SSE event name is its copy and only a fallback.
  const std::string type = json::get_string(data, "type").value_or(event.type);

  if (type == "content_block_delta") {
    const json::Value* d = find_object(data, "delta");
    if (d != nullptr && json::get_string(*d, "type").value_or("") == "text_delta" && !append_text(*d, "text", delta)) {
      return invalid_response(provider_, "text_delta.text is not a string");
    }
  } else if (type == "content_block_start") {
    const json::Value* block = find_object(data, "content_block");
    if (block != nullptr && json::get_string(*block, "type").value_or("") == "text" &&
        !append_text(*block, "text", delta)) {
      return invalid_response(provider_, "content_block.text is not a string");
    }
  } else if (type == "message_start") {
    const json::Value* message = find_object(data, "message");
    const json::Value* u = message != nullptr ? find_object(*message, "usage") : nullptr;
    if (u != nullptr) {
      has_usage_ = true;
      read_token_count(*u, "input_tokens", usage_.input_tokens);
      read_token_count(*u, "output_tokens", usage_.output_tokens);
    }
  } else if (type == "message_delta") {
    if (const json::Value* d = find_object(data, "delta")) {
      if (auto reason = json::get_string(*d, "stop_reason")) stop_reason_ = *reason;
    }
    if (const json::Value* u = find_object(data, "usage")) {
      // output_tokens here is the running total for the message, not an increment.
      has_usage_ = read_token_count(*u, "output_tokens", usage_.output_tokens) || has_usage_;
    }
  } else if (type == "message_stop") {
    done_ = true;
  } else if (type == "error") {
    auto message = error_message_of(data);
    if (!message) return invalid_response(provider_, "error event without a message");
    return Status::error(kProviderErrorCode, *message);
  }
  return Status::ok();
}

Status AnthropicStreamDecoder::on_end_of_body() {
  return invalid_response(provider_, "stream ended before message_stop");
}

std::optional<LlmUsage> AnthropicStreamDecoder::usage() const {
  if (!has_usage_) return std::nullopt;
  LlmUsage u = usage_;
  u.total_tokens = u.input_tokens + u.output_tokens;
  return u;
}

}  // namespace aw::processor::providers::anthropic
