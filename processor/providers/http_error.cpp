// HTTP error texts (see http_error.h).
#include "processor/providers/http_error.h"

#include "processor/providers/provider_json.h"

namespace aw::processor::providers {
namespace {

std::string trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Cuts to at most `max_bytes` without splitting a UTF-8 sequence (continuation bytes are 10xxxxxx).
std::string cut_utf8(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

}  // namespace

std::string http_error_text(const HttpResponseHead& head, std::string_view body) {
  std::string message;
  if (json::is_valid_utf8(body)) {
    auto doc = json::parse_untrusted(body);
    if (doc.is_ok()) {
      if (auto m = error_message_of(doc.value())) message = trim(*m);
    }
  }
  if (message.empty()) message = trim(head.reason_phrase);
  if (message.empty() || !json::is_valid_utf8(message)) message = std::string(standard_reason_phrase(head.status));
  return std::to_string(head.status) + " " + cut_utf8(std::move(message), kMaxErrorMessageBytes);
}

std::string_view standard_reason_phrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 529:
      return "Overloaded";
    default:
      return "Error";
  }
}

bool is_retryable_status(int status) {
  switch (status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
    case 529:
      return true;
    default:
      return false;
  }
}

}  // namespace aw::processor::providers
