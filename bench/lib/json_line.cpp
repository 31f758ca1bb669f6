// JSON line builder (see json_line.h).
#include "bench/lib/json_line.h"

#include <cmath>
#include <cstdio>

#include "common/json.h"

namespace aw::bench {

void JsonLine::key(std::string_view k) {
  body_ += body_.empty() ? "" : ",";
  json::append_quoted(body_, k);
  body_ += ':';
}

JsonLine& JsonLine::add(std::string_view k, std::string_view value) {
  key(k);
  json::append_quoted(body_, value);
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, std::int64_t value) {
  key(k);
  body_ += std::to_string(value);
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, std::uint64_t value) {
  key(k);
  body_ += std::to_string(value);
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, double value) {
  key(k);
  if (!std::isfinite(value)) {
    body_ += "null";
    return *this;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  body_ += buf;
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, bool value) {
  key(k);
  body_ += value ? "true" : "false";
  return *this;
}

std::string JsonLine::str() const { return "{" + body_ + "}"; }

void JsonLine::print() const {
  const std::string line = str() + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

}  // namespace aw::bench
