// Frame: one WebSocket message received by a test client, kept as raw text and parsed JSON, with path accessors
// ("payload.data.0.id") so that assertions read like the protocol document.
// Thread-safety: a plain value; movable, not copyable (it owns a RapidJSON document).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"

namespace aw::test {

struct Frame {
  std::string text;     // the payload as received
  bool binary = false;  // received as a binary message
  bool parsed = false;  // text parsed as JSON (any value, not only objects)
  json::Document json;  // Null when !parsed

  // The value at a dotted path; a numeric segment indexes an array. nullptr when any step is missing.
  const json::Value* at(std::string_view path) const;
  bool has(std::string_view path) const { return at(path) != nullptr; }
  // Typed reads: nullopt when absent or of another type (an integer read refuses 1.5).
  std::optional<std::string> string_at(std::string_view path) const;
  std::optional<std::int64_t> int_at(std::string_view path) const;
  std::optional<bool> bool_at(std::string_view path) const;
  // True when the value at path is JSON null.
  bool is_null_at(std::string_view path) const;
  // Number of elements of the array at path, nullopt when it is not an array.
  std::optional<std::size_t> array_size_at(std::string_view path) const;
  // The value at path serialised as JSON text ("" when absent).
  std::string json_at(std::string_view path) const;

  // Top-level "type" ("" when absent); payload.status ("" when absent).
  std::string type() const { return string_at("type").value_or(""); }
  std::string status() const { return string_at("payload.status").value_or(""); }
};

// Builds a Frame from received bytes (parsing is lenient: a non-JSON text gives parsed=false).
Frame make_frame(std::string text, bool binary);

}  // namespace aw::test
