// OpenAiStreamDecoder (see openai_stream_decoder.h).
#include "processor/providers/openai/openai_stream_decoder.h"

#include "processor/providers/openai/openai_usage.h"

namespace aw::processor::providers::openai {

Status OpenAiStreamDecoder::on_event(const SseEvent& event, std::string& delta) {
  if (event.data == "[DONE]") {
    done_ = true;
    return Status::ok();
  }
  auto doc = parse_provider_json(provider_, event.data, "event");
  if (!doc.is_ok()) return doc.status();
  const json::Value& chunk = doc.value();
  if (!chunk.IsObject()) return invalid_response(provider_, "unexpected event");
  if (const json::Value* error = json::find(chunk, "error"); error != nullptr && !error->IsNull()) {
    auto message = error_message_of(chunk);
    if (!message) return invalid_response(provider_, "error event without a message");
    return Status::error(kProviderErrorCode, *message);
  }
  if (const json::Value* choices = find_array(chunk, "choices"); choices != nullptr && !choices->Empty()) {
    const json::Value& choice = (*choices)[0];
    if (const json::Value* d = find_object(choice, "delta")) {
      // content is null in role-only and tool-call chunks; anything else that is not a string is malformed.
      if (const json::Value* content = json::find(*d, "content"); content != nullptr && !content->IsNull()) {
        if (!content->IsString()) return invalid_response(provider_, "delta.content is not a string");
        delta.append(content->GetString(), content->GetStringLength());
      }
    }
    if (auto reason = json::get_string(choice, "finish_reason")) finish_reason_ = *reason;
  }
  if (auto usage = usage_of(chunk)) usage_ = usage;
  return Status::ok();
}

Status OpenAiStreamDecoder::on_end_of_body() {
  if (!finish_reason_.empty()) return Status::ok();
  return invalid_response(provider_, "stream ended before [DONE]");
}

}  // namespace aw::processor::providers::openai
