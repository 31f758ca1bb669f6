// The request log (see request_log.h).
#include "tools/aw-fake-llm/request_log.h"

#include <map>

#include "common/json.h"

namespace aw::fake_llm {

namespace {

void append_body(std::string& out, const std::string& body) {
  if (body.empty()) {
    out += "null";
    return;
  }
  // Re-serialised from the parse: tests read the body as JSON, not as a string to parse again.
  if (Result<json::Document> parsed = json::parse_untrusted(body, 512); parsed) {
    if (std::optional<std::string> text = json::to_string(parsed.value())) {
      out += *text;
      return;
    }
  }
  json::append_quoted(out, body);
}

}  // namespace

void RequestLog::record(const HttpRequest& request, EpochMs at, std::string_view format,
                        std::optional<std::size_t> rule) {
  std::string entry = "{\"method\":";
  json::append_quoted(entry, request.method);
  entry += ",\"path\":";
  json::append_quoted(entry, request.path);
  entry += ",\"query\":";
  json::append_quoted(entry, request.query);
  entry += ",\"headers\":{";
  // Repeated headers are joined with ", " (RFC 9110 §5.3), so the object has one key per name.
  std::map<std::string, std::string> headers;
  for (const auto& h : request.headers) {
    auto [it, inserted] = headers.emplace(h.name, h.value);
    if (!inserted) it->second += ", " + h.value;
  }
  bool first = true;
  for (const auto& [name, value] : headers) {
    if (!first) entry += ",";
    first = false;
    json::append_quoted(entry, name);
    entry += ":";
    json::append_quoted(entry, value);
  }
  entry += "},\"body\":";
  append_body(entry, request.body);
  entry += ",\"time\":";
  json::append_quoted(entry, iso8601_ms(at));
  entry += ",\"time_ms\":" + std::to_string(at);
  entry += ",\"format\":";
  if (format.empty()) {
    entry += "null";
  } else {
    json::append_quoted(entry, format);
  }
  entry += ",\"rule\":";
  entry += rule ? std::to_string(*rule) : "null";
  entry += "}";

  entries_.push_back(std::move(entry));
  while (entries_.size() > max_entries_) entries_.pop_front();
}

std::string RequestLog::to_json() const {
  std::size_t size = 2;
  for (const auto& e : entries_) size += e.size() + 1;
  std::string out;
  out.reserve(size);
  out += "[";
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (i > 0) out += ",";
    out += entries_[i];
  }
  out += "]";
  return out;
}

}  // namespace aw::fake_llm
