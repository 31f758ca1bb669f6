// JsonBuilder: writes compact JSON text into a string, for result objects and frames.
// Strings are escaped with json::append_quoted, so invalid UTF-8 cannot reach the wire (it becomes U+FFFD);
// absent optionals are left out, never written as null (ws-protocol.md §0), unless the caller writes null.
// Thread-safety: a builder belongs to its caller.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aw::gateway {

class JsonBuilder {
 public:
  JsonBuilder& begin_object();
  JsonBuilder& end_object();
  JsonBuilder& begin_array();
  JsonBuilder& end_array();
  // A member name inside an object; the value follows.
  JsonBuilder& key(std::string_view name);

  JsonBuilder& value(std::string_view s);
  JsonBuilder& value(const std::string& s) { return value(std::string_view(s)); }
  JsonBuilder& value(const char* s) { return value(std::string_view(s)); }
  JsonBuilder& value(std::int64_t n);
  JsonBuilder& value(int n) { return value(static_cast<std::int64_t>(n)); }
  JsonBuilder& value(std::uint64_t n);
  JsonBuilder& value(double d);  // integral values print without a fraction, like JavaScript
  JsonBuilder& value(bool b);
  JsonBuilder& null();
  // Already-serialised JSON (trusted: produced by this process).
  JsonBuilder& raw(std::string_view json);

  // key + value in one call.
  template <typename T>
  JsonBuilder& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  // key + value when the optional holds one; nothing otherwise.
  template <typename T>
  JsonBuilder& optional_field(std::string_view name, const std::optional<T>& v) {
    if (v) field(name, *v);
    return *this;
  }
  JsonBuilder& raw_field(std::string_view name, std::string_view json) {
    key(name);
    return raw(json);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();
  std::string out_;
  bool need_comma_ = false;
};

}  // namespace aw::gateway
