// FakeLlmFixture: the Boost.Test fixture of the aw-fake-llm suites. It owns one aw-fake-llm process (started by
// each case with the script and flags it needs, stopped at teardown with a check that SIGTERM gives status 0) and
// offers raw HTTP calls and request bodies in the three provider formats.
// Thread-safety: one fixture per test case, on the test thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "tests/integration/processor/fake_llm_process.h"
#include "tests/integration/processor/raw_http_client.h"
#include "tests/integration/processor/sse_events.h"

namespace aw::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

class FakeLlmFixture {
 public:
  FakeLlmFixture() = default;
  ~FakeLlmFixture();

  // Starts aw-fake-llm with `script_json` (none when empty) and extra flags; the case fails at once if it cannot.
  // `log_level` "debug" makes it log each connection it opens (process().stderr_text()).
  void start(std::string script_json = {}, std::vector<std::string> extra_args = {}, std::string log_level = "info");

  int port() const { return fake_->port(); }
  FakeLlmProcess& process() { return *fake_; }

  RawHttpResponse post(std::string_view target, std::string_view body, const Headers& headers = {},
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  RawHttpResponse get(std::string_view target);
  // GET /requests, parsed; the case fails if it is not a JSON array.
  json::Document logged_requests();

 private:
  std::unique_ptr<FakeLlmProcess> fake_;
};

// Request bodies with one user message `text` (OpenAI: system + user; the others: user only).
std::string openai_body(std::string_view text, bool stream, bool include_usage = false,
                        std::string_view model = "gpt-test");
std::string anthropic_body(std::string_view text, bool stream, std::string_view model = "claude-test");
std::string gemini_body(std::string_view text);

// Parses JSON text; the case fails if it is not valid.
json::Document parse_json(std::string_view text);

// The text deltas of an OpenAI stream (choices[0].delta.content of every data line but [DONE], empty ones
// included), the text_delta texts of an Anthropic stream, or the part texts of a Gemini stream.
std::vector<std::string> openai_deltas(const std::vector<SseEvent>& events);
std::vector<std::string> anthropic_deltas(const std::vector<SseEvent>& events);
std::vector<std::string> gemini_deltas(const std::vector<SseEvent>& events);

std::string join(const std::vector<std::string>& pieces);

// The value at a slash-separated path ("choices/0/delta/content"; numbers index arrays); nullptr when absent.
const json::Value* json_at(const json::Value& root, std::string_view path);
// The string / integer at `path`; "<absent>" / -1 when absent or of another type.
std::string string_at(const json::Value& root, std::string_view path);
std::int64_t int_at(const json::Value& root, std::string_view path);

}  // namespace aw::test
