// Script: the rules that decide how aw-fake-llm answers, read from the --script file or a POST /script body
// (format in docs/fake-llm.md). A rule matches the request (last user message text, model, path) and describes the
// reply: its text and split into chunks, pacing, and faults (HTTP failure, cut, stall, malformed line, in-stream
// error, empty completion, reported usage). Parsing is strict: an unknown key or a wrong type is an error naming
// the rule and the key, so a typo in a test script fails loudly instead of silently matching nothing.
// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace aw::fake_llm {

// Every condition given must hold; a match without conditions (or {"any": true}) matches every request.
struct RuleMatch {
  std::optional<std::string> contains;       // substring of the last user message text
  std::optional<std::string> equals;         // the whole last user message text
  std::optional<std::string> regex_source;   // ECMAScript regex searched in the last user message text
  std::optional<std::regex> regex;           // compiled regex_source
  std::optional<std::string> model;          // the request's model (Gemini: from the path)
  std::optional<std::string> provider_path;  // substring of the request path ("/v1/messages", "deployments/d1")
};

// An HTTP error answer instead of a reply.
struct RuleFailure {
  int status = 500;
  std::optional<std::string> body;         // sent as is; default: the provider's error JSON carrying `message`
  std::optional<std::string> message;      // default: the reason phrase ("Service Unavailable")
  std::optional<std::string> retry_after;  // Retry-After header value
  std::string content_type = "application/json";
};

// An error reported inside a 200 stream (OpenAI/Gemini `data: {"error":...}`, Anthropic `event: error`) after
// `after_chunks` text chunks; the stream then ends. Non-streaming requests get HTTP 500 with that message instead.
struct RuleStreamError {
  std::string message;
  std::size_t after_chunks = 0;
};

struct RuleUsage {
  std::int64_t input = 0;
  std::int64_t output = 0;
};

struct Rule {
  RuleMatch match;
  std::optional<std::string> reply;                // default: the default reply (echo)
  std::optional<std::vector<std::string>> chunks;  // explicit split; their concatenation is the reply
  std::optional<std::size_t> chunk_size;           // split into pieces of N code points
  std::optional<std::int64_t> delay_ms_per_chunk;  // default: --chunk-delay-ms
  std::optional<std::int64_t> times;               // apply N times, then fall through to later rules
  std::optional<RuleFailure> fail;
  std::optional<std::size_t> cut_after_chunks;    // close the connection after N chunks, without the terminator
  std::optional<std::size_t> stall_after_chunks;  // send nothing after N chunks, keep the connection open
  std::optional<std::string> malformed;           // a `data: <malformed>` line, inserted after malformed_after_chunks
  std::size_t malformed_after_chunks = 0;
  std::optional<RuleStreamError> stream_error;
  bool empty = false;              // a completion without any text
  std::optional<RuleUsage> usage;  // reported token counts; default: estimated from the prompt and the chunks
};

struct Script {
  std::vector<Rule> rules;                   // in match order
  std::optional<std::string> default_reply;  // overrides "Echo: <last user text>" when set
};

// Parses a script: {"rules": [...], "default_reply"?: "..."} or a bare array of rules. Fails with
// invalid_request naming the rule and key ("rules[2].fail.status: expected an integer in 200..599").
Result<Script> parse_script(std::string_view json_text);

// Reads and parses a script file.
Result<Script> load_script_file(const std::string& path);

}  // namespace aw::fake_llm
