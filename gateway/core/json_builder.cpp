// Compact JSON writer (see json_builder.h).
#include "gateway/core/json_builder.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/json.h"

namespace aw::gateway {

void JsonBuilder::separate() {
  if (need_comma_) out_.push_back(',');
  need_comma_ = true;
}

JsonBuilder& JsonBuilder::begin_object() {
  separate();
  out_.push_back('{');
  need_comma_ = false;
  return *this;
}

JsonBuilder& JsonBuilder::end_object() {
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}

JsonBuilder& JsonBuilder::begin_array() {
  separate();
  out_.push_back('[');
  need_comma_ = false;
  return *this;
}

JsonBuilder& JsonBuilder::end_array() {
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}

JsonBuilder& JsonBuilder::key(std::string_view name) {
  separate();
  json::append_quoted(out_, name);
  out_.push_back(':');
  // The value that follows is not preceded by a comma.
  need_comma_ = false;
  return *this;
}

JsonBuilder& JsonBuilder::value(std::string_view s) {
  separate();
  json::append_quoted(out_, s);
  return *this;
}

JsonBuilder& JsonBuilder::value(std::int64_t n) {
  separate();
  out_ += std::to_string(n);
  return *this;
}

JsonBuilder& JsonBuilder::value(std::uint64_t n) {
  separate();
  out_ += std::to_string(n);
  return *this;
}

JsonBuilder& JsonBuilder::value(double d) {
  separate();
  if (!std::isfinite(d)) {
    out_ += "null";  // JSON has no NaN/Infinity; validation keeps them out of storage
  } else if (d == std::floor(d) && std::fabs(d) < 1e15) {
    out_ += std::to_string(static_cast<std::int64_t>(d));
  } else {
    // Shortest text that reads back as the same double.
    char buf[32];
    for (int precision = 1; precision <= 17; ++precision) {
      std::snprintf(buf, sizeof buf, "%.*g", precision, d);
      if (std::strtod(buf, nullptr) == d) break;
    }
    out_ += buf;
  }
  return *this;
}

JsonBuilder& JsonBuilder::value(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}

JsonBuilder& JsonBuilder::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonBuilder& JsonBuilder::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

}  // namespace aw::gateway
