// mcpConfig redaction (ws-protocol.md §3.6): what every output shows instead of the stored value.
// In the parsed object, every value of an `env` object becomes "***", and the userinfo and the query string of every
// `url` string become "***"; the result is serialised again (compact).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace aw::gateway {

// The redacted form of a stored mcpConfig. Text that is not a JSON object (never stored by us) becomes "***".
std::string redact_mcp_config(std::string_view stored);

// The redacted form of one URL: "https://user:pw@host/p?q#f" -> "https://***@host/p?***#f".
std::string redact_url(std::string_view url);

}  // namespace aw::gateway
