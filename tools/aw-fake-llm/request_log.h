// RequestLog: every request aw-fake-llm served (its own /health, /requests, /reset and /script excepted), kept so
// that tests can assert on what a client sent: GET /requests returns them as a JSON array, oldest first; POST
// /reset clears them. Each entry: {method, path, query, headers (names lowercased), body (parsed JSON when it is
// JSON, else the text, null when empty), time (ISO-8601), time_ms, format ("openai" | "anthropic" | "gemini" |
// null), rule (index of the rule applied, or null)}. Entries are serialised when recorded.
// Thread-safety: loop thread only.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "common/time_util.h"
#include "tools/aw-fake-llm/http_message.h"

namespace aw::fake_llm {

class RequestLog {
 public:
  // Beyond max_entries the oldest entries are dropped (a demo left running must not grow without bound).
  explicit RequestLog(std::size_t max_entries) : max_entries_(max_entries) {}

  // `format` "" is written as null.
  void record(const HttpRequest& request, EpochMs at, std::string_view format, std::optional<std::size_t> rule);
  void clear() { entries_.clear(); }
  std::size_t size() const { return entries_.size(); }
  // The JSON array of all entries.
  std::string to_json() const;

 private:
  const std::size_t max_entries_;
  std::deque<std::string> entries_;  // serialised entries, oldest first
};

}  // namespace aw::fake_llm
