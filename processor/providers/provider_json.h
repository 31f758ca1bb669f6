// JSON helpers shared by the provider decoders and builders: the checks every provider reply goes through before
// any field is read, and the small readers they all need.
// Thread-safety: free functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"
#include "processor/llm/llm_client.h"

namespace aw::processor::providers {

// Parses one event or body from `provider`: invalid UTF-8 fails with "Invalid response from <provider>: invalid
// UTF-8" (we refuse, rather than repair, text we would otherwise show altered), anything that is not a JSON
// object with "Invalid response from <provider>: malformed JSON <what>" (`what`: "event" or "body").
Result<json::Document> parse_provider_json(std::string_view provider, std::string_view text, std::string_view what);

// object[key] as an object or array; nullptr otherwise.
const json::Value* find_object(const json::Value& object, std::string_view key);
const json::Value* find_array(const json::Value& object, std::string_view key);

// The message of an error object as providers send it: {"error":{"message":...}} (OpenAI, Anthropic, Gemini),
// {"error":"..."}, {"message":...} or {"detail":"..."} (OpenAI-compatible servers), or the first element of an
// array of those (Gemini). nullopt when there is none or it is blank.
std::optional<std::string> error_message_of(const json::Value& value);

// Sets out to the non-negative integer object[key]; false (out untouched) when absent or not such a number.
bool read_token_count(const json::Value& object, std::string_view key, std::int64_t& out);

}  // namespace aw::processor::providers
