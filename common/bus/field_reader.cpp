// FieldReader (see field_reader.h).
#include "common/bus/field_reader.h"

namespace aw::bus {

const json::Value* FieldReader::member(std::string_view key) const { return json::find(object_, key); }

std::string FieldReader::str(std::string_view key, bool non_empty) {
  const json::Value* v = member(key);
  if (v == nullptr || !v->IsString() || (non_empty && v->GetStringLength() == 0)) {
    fail(path_of(key) + (non_empty ? " must be a non-empty string" : " must be a string"));
    return {};
  }
  return std::string(v->GetString(), v->GetStringLength());
}

std::int64_t FieldReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const json::Value* v = member(key);
  if (v == nullptr || !v->IsInt64() || v->GetInt64() < min || v->GetInt64() > max) {
    fail(path_of(key) + " must be an integer in range");
    return 0;
  }
  return v->GetInt64();
}

std::optional<std::string> FieldReader::optional_str(std::string_view key) {
  const json::Value* v = member(key);
  if (v == nullptr || v->IsNull()) return std::nullopt;
  if (!v->IsString()) {
    fail(path_of(key) + " must be a string or null");
    return std::nullopt;
  }
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::int64_t> FieldReader::optional_integer(std::string_view key, std::int64_t min) {
  const json::Value* v = member(key);
  if (v == nullptr || v->IsNull()) return std::nullopt;
  if (!v->IsInt64() || v->GetInt64() < min) {
    fail(path_of(key) + " must be an integer in range or null");
    return std::nullopt;
  }
  return v->GetInt64();
}

std::optional<double> FieldReader::optional_number(std::string_view key) {
  const json::Value* v = member(key);
  if (v == nullptr || v->IsNull()) return std::nullopt;
  if (!v->IsNumber()) {
    fail(path_of(key) + " must be a number or null");
    return std::nullopt;
  }
  return v->GetDouble();
}

const json::Value* FieldReader::array(std::string_view key) {
  const json::Value* v = member(key);
  if (v == nullptr || !v->IsArray()) {
    fail(path_of(key) + " must be an array");
    return nullptr;
  }
  return v;
}

const json::Value* FieldReader::object(std::string_view key) {
  const json::Value* v = member(key);
  if (v == nullptr || !v->IsObject()) {
    fail(path_of(key) + " must be an object");
    return nullptr;
  }
  return v;
}

}  // namespace aw::bus
