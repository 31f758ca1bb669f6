// Client frame field readers (see frame_fields.h).
#include "gateway/protocol/frame_fields.h"

#include <cmath>

namespace aw::gateway::protocol::fields {

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string_view truncate_chars(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return s.substr(0, i);
      ++chars;
    }
  }
  return s;
}

Kind kind_of(const json::Value* v) {
  if (v == nullptr || v->IsNull()) return Kind::Absent;
  return v->IsString() ? Kind::String : Kind::Other;
}

std::optional<std::string> nonempty_string(const json::Value* v) {
  if (kind_of(v) != Kind::String || v->GetStringLength() == 0) return std::nullopt;
  return std::string(as_view(*v));
}

bool read_request_id(const json::Value& root, RequestId& out) {
  const json::Value* v = json::find(root, "requestId");
  if (v == nullptr || v->IsNull()) return true;
  if (v->IsString()) {
    if (code_points(as_view(*v)) > kMaxRequestIdChars) return false;
    out.json.clear();
    json::append_quoted(out.json, as_view(*v));
    return true;
  }
  if (v->IsNumber()) {
    auto text = json::to_string(*v);
    if (!text) return false;
    out.json = std::move(*text);
    return true;
  }
  return false;
}

SeqField read_seq(const json::Value* v) {
  SeqField f;
  if (v == nullptr || v->IsNull()) return f;
  if (v->IsString()) {
    f.ok = as_view(*v) == "beginning";
    f.present = f.ok;
    f.beginning = f.ok;
    return f;
  }
  if (v->IsUint64()) {
    f.present = true;
    f.value = v->GetUint64();
    return f;
  }
  // 42.0 is an integer too; anything with a fraction, negative, or beyond exact doubles is not.
  if (v->IsDouble()) {
    const double d = v->GetDouble();
    if (d >= 0 && d <= 9007199254740992.0 && std::floor(d) == d) {
      f.present = true;
      f.value = static_cast<Seq>(d);
      return f;
    }
  }
  f.ok = false;
  return f;
}

}  // namespace aw::gateway::protocol::fields
