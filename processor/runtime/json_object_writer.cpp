// JsonObjectWriter (see json_object_writer.h).
#include "processor/runtime/json_object_writer.h"

#include "common/json.h"

namespace aw::processor {

namespace {

// Keys are our own field names: printable ASCII that needs no escaping, so they skip append_quoted's scan.
bool is_plain_key(std::string_view k) {
  for (char c : k) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace

void JsonObjectWriter::key(std::string_view k) {
  if (!first_) out_.push_back(',');
  first_ = false;
  if (is_plain_key(k)) {
    out_.push_back('"');
    out_.append(k.data(), k.size());
    out_.push_back('"');
  } else {
    json::append_quoted(out_, k);
  }
  out_.push_back(':');
}

JsonObjectWriter& JsonObjectWriter::string(std::string_view k, std::string_view value) {
  key(k);
  json::append_quoted(out_, value);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::integer(std::string_view k, std::int64_t value) {
  key(k);
  out_ += std::to_string(value);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::boolean(std::string_view k, bool value) {
  key(k);
  out_ += value ? "true" : "false";
  return *this;
}

JsonObjectWriter& JsonObjectWriter::null(std::string_view k) {
  key(k);
  out_ += "null";
  return *this;
}

JsonObjectWriter& JsonObjectWriter::raw(std::string_view k, std::string_view json) {
  key(k);
  out_ += json;
  return *this;
}

std::string JsonObjectWriter::finish() {
  out_.push_back('}');
  std::string result = std::move(out_);
  out_ = "{";  // short: no allocation for a writer that is usually dropped now
  first_ = true;
  return result;
}

}  // namespace aw::processor
