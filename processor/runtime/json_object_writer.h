// JsonObjectWriter: builds one JSON object as text, field by field, in the order written. The runtime's payloads
// (ws-protocol.md §5.2), commits and bus bodies are flat and small, so appending escaped strings is both simpler
// and cheaper than building a RapidJSON DOM; strings go through json::append_quoted, which also replaces invalid
// UTF-8 (an LLM delta is untrusted text) with U+FFFD, so the result is always valid JSON.
// Thread-safety: a value; one writer per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace aw::processor {

class JsonObjectWriter {
 public:
  JsonObjectWriter() {
    out_.reserve(kInitialBytes);
    out_.push_back('{');
  }

  JsonObjectWriter& string(std::string_view key, std::string_view value);
  JsonObjectWriter& integer(std::string_view key, std::int64_t value);
  JsonObjectWriter& boolean(std::string_view key, bool value);
  JsonObjectWriter& null(std::string_view key);
  // Requires: `json` is one complete, valid JSON value written by this process.
  JsonObjectWriter& raw(std::string_view key, std::string_view json);

  // Closes the object and hands over the text. The writer is empty afterwards.
  std::string finish();

 private:
  // Most payloads (an SSE chunk is about 150 bytes) fit without growing the buffer.
  static constexpr std::size_t kInitialBytes = 256;

  void key(std::string_view k);
  std::string out_;
  bool first_ = true;
};

// Joins complete JSON values into a JSON array text.
template <typename Container>
std::string json_array(const Container& values) {
  std::string out = "[";
  bool first = true;
  for (const auto& v : values) {
    if (!first) out.push_back(',');
    first = false;
    out += v;
  }
  out.push_back(']');
  return out;
}

}  // namespace aw::processor
