// BodyWriter (see body_writer.h).
#include "common/bus/body_writer.h"

#include <cmath>

#include "common/bus/bus_messages.h"
#include "common/json.h"

namespace aw::bus {

BodyWriter::BodyWriter(std::string_view kind) {
  out_ = "{\"v\":" + std::to_string(kProtocolVersion) + ",\"kind\":";
  json::append_quoted(out_, kind);
  need_comma_ = true;
}

void BodyWriter::separate() {
  if (need_comma_) out_.push_back(',');
  need_comma_ = false;
}

BodyWriter& BodyWriter::begin_object() {
  separate();
  out_.push_back('{');
  return *this;
}
BodyWriter& BodyWriter::end_object() {
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}
BodyWriter& BodyWriter::begin_array() {
  separate();
  out_.push_back('[');
  return *this;
}
BodyWriter& BodyWriter::end_array() {
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}
BodyWriter& BodyWriter::key(std::string_view name) {
  separate();
  json::append_quoted(out_, name);
  out_.push_back(':');
  return *this;
}
BodyWriter& BodyWriter::value(std::string_view s) {
  separate();
  json::append_quoted(out_, s);
  need_comma_ = true;
  return *this;
}
BodyWriter& BodyWriter::value(std::int64_t n) {
  separate();
  out_ += std::to_string(n);
  need_comma_ = true;
  return *this;
}
BodyWriter& BodyWriter::value(double d) {
  // A non-finite number has no JSON form; decode() never produces one, so this only guards our own values.
  if (!std::isfinite(d)) return null();
  json::Value v(d);
  separate();
  out_ += json::to_string(v).value_or("null");
  need_comma_ = true;
  return *this;
}
BodyWriter& BodyWriter::null() {
  separate();
  out_ += "null";
  need_comma_ = true;
  return *this;
}
BodyWriter& BodyWriter::raw(std::string_view text) {
  separate();
  out_.append(text);
  need_comma_ = true;
  return *this;
}
std::string BodyWriter::finish() {
  out_.push_back('}');
  return std::move(out_);
}

}  // namespace aw::bus
