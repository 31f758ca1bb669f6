// mcpConfig redaction (see mcp_redaction.h).
#include "gateway/core/mcp_redaction.h"

#include "common/json.h"

namespace aw::gateway {
namespace {

constexpr const char* kMask = "***";

void redact_value(json::Value& value, json::Document::AllocatorType& alloc) {
  if (value.IsArray()) {
    for (auto& item : value.GetArray()) redact_value(item, alloc);
    return;
  }
  if (!value.IsObject()) return;
  // Member loops by iterator: RAPIDJSON_NOMEMBERITERATORCLASS (common/json.h) rules out GetObject() ranges.
  for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
    auto& member = *it;
    std::string_view name(member.name.GetString(), member.name.GetStringLength());
    if (name == "env" && member.value.IsObject()) {
      for (auto env = member.value.MemberBegin(); env != member.value.MemberEnd(); ++env) {
        env->value.SetString(kMask, alloc);
      }
    } else if (name == "url" && member.value.IsString()) {
      std::string redacted = redact_url(std::string_view(member.value.GetString(), member.value.GetStringLength()));
      member.value.SetString(redacted.data(), static_cast<rapidjson::SizeType>(redacted.size()), alloc);
    } else {
      redact_value(member.value, alloc);
    }
  }
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::string out;
  std::size_t authority = url.find("://");
  std::size_t rest_start = 0;
  if (authority != std::string_view::npos) {
    authority += 3;
    std::size_t authority_end = url.find_first_of("/?#", authority);
    if (authority_end == std::string_view::npos) authority_end = url.size();
    std::string_view host_part = url.substr(authority, authority_end - authority);
    std::size_t at = host_part.rfind('@');
    out.append(url.substr(0, authority));
    if (at != std::string_view::npos) {
      out += kMask;
      out += '@';
      out.append(host_part.substr(at + 1));
    } else {
      out.append(host_part);
    }
    rest_start = authority_end;
  }
  std::string_view rest = url.substr(rest_start);
  std::size_t query = rest.find('?');
  std::size_t fragment = rest.find('#');
  if (query == std::string_view::npos || (fragment != std::string_view::npos && fragment < query)) {
    out.append(rest);
    return out;
  }
  out.append(rest.substr(0, query + 1));
  out += kMask;
  if (fragment != std::string_view::npos) out.append(rest.substr(fragment));
  return out;
}

std::string redact_mcp_config(std::string_view stored) {
  auto doc = json::parse_trusted(stored);
  if (!doc || !doc->IsObject()) return kMask;
  redact_value(doc.value(), doc->GetAllocator());
  auto text = json::to_string(doc.value());
  return text ? *text : std::string(kMask);
}

}  // namespace aw::gateway
