// Frame path accessors (see frame.h).
#include "tests/support/frame.h"

#include <cstdlib>

namespace aw::test {
namespace {

bool is_index(std::string_view segment) {
  if (segment.empty()) return false;
  for (char c : segment) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

const json::Value* Frame::at(std::string_view path) const {
  if (!parsed) return nullptr;
  const json::Value* current = &json;
  while (!path.empty()) {
    const auto dot = path.find('.');
    const std::string_view segment = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (current->IsArray() && is_index(segment)) {
      const auto index = std::strtoull(std::string(segment).c_str(), nullptr, 10);
      if (index >= current->Size()) return nullptr;
      current = &(*current)[static_cast<rapidjson::SizeType>(index)];
    } else {
      // A NUL-terminated copy: json::find() with a view into "payload.status" would match on "payload.status"
      // (RapidJSON's StringRef converts to const char*, so FindMember falls back to strlen).
      current = json::find(*current, std::string(segment));
      if (current == nullptr) return nullptr;
    }
  }
  return current;
}

std::optional<std::string> Frame::string_at(std::string_view path) const {
  const json::Value* v = at(path);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<std::int64_t> Frame::int_at(std::string_view path) const {
  const json::Value* v = at(path);
  if (v == nullptr || !v->IsInt64()) return std::nullopt;
  return v->GetInt64();
}

std::optional<bool> Frame::bool_at(std::string_view path) const {
  const json::Value* v = at(path);
  if (v == nullptr || !v->IsBool()) return std::nullopt;
  return v->GetBool();
}

bool Frame::is_null_at(std::string_view path) const {
  const json::Value* v = at(path);
  return v != nullptr && v->IsNull();
}

std::optional<std::size_t> Frame::array_size_at(std::string_view path) const {
  const json::Value* v = at(path);
  if (v == nullptr || !v->IsArray()) return std::nullopt;
  return v->Size();
}

std::string Frame::json_at(std::string_view path) const {
  const json::Value* v = at(path);
  if (v == nullptr) return "";
  return json::to_string(*v).value_or("");
}

Frame make_frame(std::string text, bool binary) {
  Frame frame;
  frame.binary = binary;
  auto doc = json::parse_trusted(text);
  if (doc.is_ok()) {
    frame.json = std::move(doc).value();
    frame.parsed = true;
  }
  frame.text = std::move(text);
  return frame;
}

}  // namespace aw::test
