// One flat JSON object per result line, for scripts (bench/run.sh) to collect.
// Thread-safety: a JsonLine belongs to one thread; print() writes one whole line to stdout.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace aw::bench {

class JsonLine {
 public:
  JsonLine& add(std::string_view key, std::string_view value);
  JsonLine& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  JsonLine& add(std::string_view key, std::int64_t value);
  JsonLine& add(std::string_view key, std::uint64_t value);
  JsonLine& add(std::string_view key, int value) { return add(key, static_cast<std::int64_t>(value)); }
  // Written with one decimal place, enough for microseconds and milliseconds; NaN and infinity become null.
  JsonLine& add(std::string_view key, double value);
  JsonLine& add(std::string_view key, bool value);

  // The object text, without a newline.
  std::string str() const;
  // Writes str() and a newline to stdout and flushes, so a pipe reader sees each result as it is produced.
  void print() const;

 private:
  void key(std::string_view k);
  std::string body_;
};

}  // namespace aw::bench
