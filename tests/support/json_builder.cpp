// JsonObject (see json_builder.h).
#include "tests/support/json_builder.h"

#include "common/json.h"

namespace aw::test {

void JsonObject::add_key(std::string_view key) {
  if (!body_.empty()) body_ += ',';
  json::append_quoted(body_, key);
  body_ += ':';
}

JsonObject& JsonObject::set(std::string_view key, std::string_view value) {
  add_key(key);
  json::append_quoted(body_, value);
  return *this;
}

JsonObject& JsonObject::set(std::string_view key, std::int64_t value) {
  add_key(key);
  body_ += std::to_string(value);
  return *this;
}

JsonObject& JsonObject::set(std::string_view key, bool value) {
  add_key(key);
  body_ += value ? "true" : "false";
  return *this;
}

JsonObject& JsonObject::set_raw(std::string_view key, std::string_view json_text) {
  add_key(key);
  body_ += json_text;
  return *this;
}

std::string quoted(std::string_view text) {
  std::string out;
  json::append_quoted(out, text);
  return out;
}

}  // namespace aw::test
