// Reading and validating command params (ws-protocol.md §8; rules of agent-runtime.md §1-§2).
// Every failure is `invalid_request` with the text `Command execution failed: <field> <problem>` (or the empty-id
// text of agent-runtime.md §1), ready to be the command's answer.
// Thread-safety: pure functions over the caller's params object.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace aw::gateway {

// For update commands: nullopt = field absent (unchanged); holds nullopt = null (clear); else the new value.
template <typename T>
using FieldUpdate = std::optional<std::optional<T>>;

// Prefixes the compat text of a failed command.
std::string command_failed_text(std::string_view detail);
Status invalid_param(std::string_view field, std::string_view problem);

// The providers of agent-runtime.md §2.2.
bool is_known_provider(std::string_view provider);

// Present and not null.
const json::Value* param(const json::Value& params, std::string_view field);
bool has_param(const json::Value& params, std::string_view field);  // present, even as null

// A string field: absent or null -> nullopt; another type -> "<field> must be a string".
Result<std::optional<std::string>> optional_string(const json::Value& params, std::string_view field);
// As optional_string, but absent/null -> "<field> is required".
Result<std::string> required_string(const json::Value& params, std::string_view field);
// Tri-state string for update commands.
Result<FieldUpdate<std::string>> string_update(const json::Value& params, std::string_view field);

// A name of 1..100 characters (code points): "<field> must be 1 to 100 characters".
Status check_name(std::string_view field, const std::string& name);

// The kebab-case id of `input`; empty -> the agent-runtime.md §1 text; longer than 100 -> "id must be at most 100
// characters".
Result<std::string> make_id(std::string_view input);

// An integer (a JSON number with an integral value). nullopt when absent or null; wrong -> "<field> <problem>".
Result<std::optional<std::int64_t>> optional_integer(const json::Value& params, std::string_view field,
                                                     std::int64_t min_value, std::int64_t max_value,
                                                     std::string_view problem);

// turnLimit: absent, null or 0 -> 5 [compat]; negative or non-integer -> "turnLimit must be an integer >= 1".
Result<std::int64_t> turn_limit(const json::Value& params);
// provider: one of the known providers.
Result<FieldUpdate<std::string>> provider_update(const json::Value& params);
// temperature: a number 0..2.
Result<FieldUpdate<double>> temperature_update(const json::Value& params);
// maxTokens: an integer >= 1.
Result<FieldUpdate<std::int64_t>> max_tokens_update(const json::Value& params);
// mcpConfig: a string that parses as a JSON object.
Result<FieldUpdate<std::string>> mcp_config_update(const json::Value& params);

}  // namespace aw::gateway
