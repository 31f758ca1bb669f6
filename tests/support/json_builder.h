// JsonObject: builds the JSON text of a client frame field by field, with correct escaping, so that tests state
// exactly which fields a frame carries (including wrong types and explicit nulls).
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace aw::test {

class JsonObject {
 public:
  JsonObject& set(std::string_view key, std::string_view value);
  JsonObject& set(std::string_view key, const char* value) { return set(key, std::string_view(value)); }
  JsonObject& set(std::string_view key, const std::string& value) { return set(key, std::string_view(value)); }
  JsonObject& set(std::string_view key, std::int64_t value);
  JsonObject& set(std::string_view key, int value) { return set(key, static_cast<std::int64_t>(value)); }
  JsonObject& set(std::string_view key, bool value);
  JsonObject& set(std::string_view key, const JsonObject& value) { return set_raw(key, value.str()); }
  JsonObject& set_null(std::string_view key) { return set_raw(key, "null"); }
  // `json_text` is inserted verbatim (an array, a number with a fraction, a deliberately odd value).
  JsonObject& set_raw(std::string_view key, std::string_view json_text);

  std::string str() const { return "{" + body_ + "}"; }

 private:
  void add_key(std::string_view key);
  std::string body_;
};

// A JSON string literal (quoted, escaped).
std::string quoted(std::string_view text);

}  // namespace aw::test
