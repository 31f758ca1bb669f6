// BodyWriter: builds the compact JSON text of a bus body, always starting with {"v":1,"kind":...}.
// Internal to the codec (common/bus/*.cpp). Strings are escaped with json::append_quoted, so the output is always
// valid UTF-8; raw() inserts JSON the caller vouches for (payloads that were parsed and re-serialised).
// Thread-safety: a writer belongs to its caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aw::bus {

class BodyWriter {
 public:
  // Opens the body object and writes `v` and `kind`.
  explicit BodyWriter(std::string_view kind);

  BodyWriter& begin_object();
  BodyWriter& end_object();
  BodyWriter& begin_array();
  BodyWriter& end_array();
  BodyWriter& key(std::string_view name);
  BodyWriter& value(std::string_view s);
  BodyWriter& value(const std::string& s) { return value(std::string_view(s)); }
  BodyWriter& value(const char* s) { return value(std::string_view(s)); }
  BodyWriter& value(std::int64_t n);
  BodyWriter& value(double d);
  BodyWriter& null();
  BodyWriter& raw(std::string_view json);
  template <typename T>
  BodyWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  template <typename T>
  BodyWriter& optional_field(std::string_view name, const std::optional<T>& v) {
    if (v) field(name, *v);
    return *this;
  }
  // Closes the body object and hands over the text.
  std::string finish();

 private:
  void separate();
  std::string out_;
  bool need_comma_ = false;
};

}  // namespace aw::bus
