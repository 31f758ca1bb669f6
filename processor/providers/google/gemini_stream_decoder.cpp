// GeminiStreamDecoder (see gemini_stream_decoder.h).
#include "processor/providers/google/gemini_stream_decoder.h"

#include "processor/providers/provider_json.h"

namespace aw::processor::providers::google {

Status read_gemini_response(std::string_view provider, const json::Value& response, std::string& text,
                            std::string& finish_reason, std::optional<LlmUsage>& usage) {
  if (!response.IsObject()) return invalid_response(provider, "unexpected event");
  if (const json::Value* error = json::find(response, "error"); error != nullptr && !error->IsNull()) {
    auto message = error_message_of(response);
    if (!message) return invalid_response(provider, "error without a message");
    return Status::error(kProviderErrorCode, *message);
  }
  if (const json::Value* candidates = find_array(response, "candidates");
      candidates != nullptr && !candidates->Empty()) {
    const json::Value& candidate = (*candidates)[0];
    const json::Value* content = find_object(candidate, "content");
    const json::Value* parts = content != nullptr ? find_array(*content, "parts") : nullptr;
    if (parts != nullptr) {
      for (const json::Value& part : parts->GetArray()) {
        if (json::get_bool(part, "thought").value_or(false)) continue;  // the model's reasoning, not its reply
        const json::Value* t = json::find(part, "text");
        if (t == nullptr) continue;  // functionCall and other parts carry no text
        if (!t->IsString()) return invalid_response(provider, "part.text is not a string");
        text.append(t->GetString(), t->GetStringLength());
      }
    }
    if (auto reason = json::get_string(candidate, "finishReason")) finish_reason = *reason;
  }
  if (const json::Value* feedback = find_object(response, "promptFeedback")) {
    if (auto reason = json::get_string(*feedback, "blockReason")) finish_reason = *reason;
  }
  if (const json::Value* u = find_object(response, "usageMetadata")) {
    LlmUsage counts;
    read_token_count(*u, "promptTokenCount", counts.input_tokens);
    read_token_count(*u, "candidatesTokenCount", counts.output_tokens);
    if (!read_token_count(*u, "totalTokenCount", counts.total_tokens)) {
      counts.total_tokens = counts.input_tokens + counts.output_tokens;
    }
    usage = counts;
  }
  return Status::ok();
}

Status GeminiStreamDecoder::on_event(const SseEvent& event, std::string& delta) {
  auto doc = parse_provider_json(provider_, event.data, "event");
  if (!doc.is_ok()) return doc.status();
  return read_gemini_response(provider_, doc.value(), delta, finish_reason_, usage_);
}

Status GeminiStreamDecoder::on_end_of_body() {
  if (!finish_reason_.empty()) return Status::ok();
  return invalid_response(provider_, "stream ended before finishReason");
}

}  // namespace aw::processor::providers::google
