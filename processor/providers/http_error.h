// The texts clients see when a provider answers with an HTTP error (agent-runtime.md §7.4), and which statuses are
// worth retrying.
// Thread-safety: free functions.
#pragma once

#include <string>
#include <string_view>

#include "processor/providers/http_stream_client.h"

namespace aw::processor::providers {

// "<status> <provider error message or reason phrase>", e.g. "401 Incorrect API key provided". The message comes
// from the JSON error body of any of our providers; a body that is not such JSON (an HTML page from a proxy, an
// empty body) gives the reason phrase the server sent, or the standard one when it sent none. Long messages are
// cut at kMaxErrorMessageBytes (on a UTF-8 boundary).
std::string http_error_text(const HttpResponseHead& head, std::string_view body);

// 2 KiB: enough for every real provider message, short enough for an SSE event and a log line.
inline constexpr std::size_t kMaxErrorMessageBytes = 2048;

// The reason phrase of RFC 9110 for a status ("Service Unavailable"), "Error" when unknown.
std::string_view standard_reason_phrase(int status);

// 408, 429, 500, 502, 503, 504 and 529 (Anthropic's "overloaded"): transient, retried before the first delta.
bool is_retryable_status(int status);

}  // namespace aw::processor::providers
