// Incremental HTTP/1.1 request parser (see http_request_parser.h).
#include "tools/aw-fake-llm/http_request_parser.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <utility>

namespace aw::fake_llm {

namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kMaxChunkSizeLine = 1024;

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX sequences decoded; a malformed sequence is kept as written (the path is only matched, never trusted).
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isalnum(u)) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

RequestParser::RequestParser(std::size_t max_body_bytes, std::size_t max_head_bytes)
    : max_body_bytes_(max_body_bytes), max_head_bytes_(max_head_bytes) {}

void RequestParser::feed(std::string_view bytes) {
  if (stage_ == Stage::Failed) return;
  buffer_.append(bytes.data(), bytes.size());
}

RequestParser::Outcome RequestParser::fail(int status, std::string message) {
  stage_ = Stage::Failed;
  error_status_ = status;
  error_message_ = std::move(message);
  buffer_.clear();
  consumed_ = 0;
  return Outcome::Error;
}

bool RequestParser::wants_continue() {
  if (continue_sent_) return false;
  const std::string* expect = current_.header("expect");
  if (expect == nullptr || to_lower(*expect) != "100-continue") return false;
  continue_sent_ = true;
  return true;
}

std::size_t RequestParser::find_line_end() const { return buffer_.find(kCrlf, consumed_); }

RequestParser::Outcome RequestParser::next(HttpRequest& out) {
  for (;;) {
    switch (stage_) {
      case Stage::Failed:
        return Outcome::Error;

      case Stage::Head: {
        // Empty lines before a request line are allowed (RFC 9112 §2.2).
        while (buffer_.compare(consumed_, kCrlf.size(), kCrlf) == 0) consumed_ += kCrlf.size();
        const std::size_t end = buffer_.find("\r\n\r\n", consumed_);
        if (end == std::string::npos) {
          if (buffered_bytes() > max_head_bytes_) return fail(431, "request head over the size limit");
          buffer_.erase(0, consumed_);
          consumed_ = 0;
          return Outcome::NeedMore;
        }
        if (end - consumed_ > max_head_bytes_) return fail(431, "request head over the size limit");
        const Outcome head = parse_head();
        if (head == Outcome::Error) return head;
        break;
      }

      case Stage::FixedBody: {
        const std::size_t take = std::min(body_remaining_, buffered_bytes());
        current_.body.append(buffer_, consumed_, take);
        consumed_ += take;
        body_remaining_ -= take;
        if (body_remaining_ == 0) return finish_request(out);
        buffer_.clear();
        consumed_ = 0;
        if (wants_continue()) return Outcome::SendContinue;
        return Outcome::NeedMore;
      }

      case Stage::ChunkSize: {
        const std::size_t end = find_line_end();
        if (end == std::string::npos) {
          if (buffered_bytes() > kMaxChunkSizeLine) return fail(400, "chunk size line too long");
          if (wants_continue()) return Outcome::SendContinue;
          return Outcome::NeedMore;
        }
        std::string_view line = std::string_view(buffer_).substr(consumed_, end - consumed_);
        line = trim(line.substr(0, line.find(';')));  // chunk extensions are ignored
        if (line.empty() || line.size() > 15) return fail(400, "bad chunk size");
        std::uint64_t size = 0;
        for (char c : line) {
          const int v = hex_value(c);
          if (v < 0) return fail(400, "bad chunk size");
          size = size * 16 + static_cast<std::uint64_t>(v);
        }
        consumed_ = end + kCrlf.size();
        if (size > max_body_bytes_ - current_.body.size()) return fail(413, "request body over the size limit");
        if (size == 0) {
          stage_ = Stage::Trailers;
        } else {
          body_remaining_ = static_cast<std::size_t>(size);
          stage_ = Stage::ChunkData;
        }
        break;
      }

      case Stage::ChunkData: {
        const std::size_t take = std::min(body_remaining_, buffered_bytes());
        current_.body.append(buffer_, consumed_, take);
        consumed_ += take;
        body_remaining_ -= take;
        if (body_remaining_ > 0) {
          buffer_.clear();
          consumed_ = 0;
          return Outcome::NeedMore;
        }
        stage_ = Stage::ChunkDataEnd;
        break;
      }

      case Stage::ChunkDataEnd: {
        if (buffered_bytes() < kCrlf.size()) return Outcome::NeedMore;
        if (buffer_.compare(consumed_, kCrlf.size(), kCrlf) != 0) return fail(400, "chunk data not followed by CRLF");
        consumed_ += kCrlf.size();
        stage_ = Stage::ChunkSize;
        break;
      }

      case Stage::Trailers: {
        const std::size_t end = find_line_end();
        if (end == std::string::npos) {
          if (buffered_bytes() > max_head_bytes_) return fail(431, "trailer section over the size limit");
          return Outcome::NeedMore;
        }
        const bool last = end == consumed_;
        consumed_ = end + kCrlf.size();
        if (last) return finish_request(out);
        break;  // trailer fields are read and dropped
      }
    }
  }
}

RequestParser::Outcome RequestParser::parse_head() {
  const std::size_t end = buffer_.find("\r\n\r\n", consumed_);
  const std::string_view head = std::string_view(buffer_).substr(consumed_, end - consumed_);
  consumed_ = end + 4;
  current_ = HttpRequest();
  continue_sent_ = false;

  std::size_t line_end = head.find(kCrlf);
  const std::string_view request_line = head.substr(0, line_end);
  const std::size_t sp1 = request_line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : request_line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return fail(400, "malformed request line");
  const std::string_view method = request_line.substr(0, sp1);
  const std::string_view target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = request_line.substr(sp2 + 1);
  if (method.empty() || !std::all_of(method.begin(), method.end(), is_token_char)) {
    return fail(400, "malformed request method");
  }
  if (target.empty() || target.find(' ') != std::string_view::npos) return fail(400, "malformed request target");
  if (version == "HTTP/1.1") {
    current_.version_minor = 1;
  } else if (version == "HTTP/1.0") {
    current_.version_minor = 0;
  } else {
    return fail(505, "only HTTP/1.0 and HTTP/1.1 are served");
  }
  current_.method = std::string(method);
  current_.target = std::string(target);

  // Absolute form (http://host/path) names the same resource as its path.
  std::string_view origin = target;
  if (const std::size_t scheme = origin.find("://"); scheme != std::string_view::npos && origin.front() != '/') {
    const std::size_t slash = origin.find('/', scheme + 3);
    origin = slash == std::string_view::npos ? std::string_view("/") : origin.substr(slash);
  }
  const std::size_t question = origin.find('?');
  current_.path = percent_decode(origin.substr(0, question));
  if (question != std::string_view::npos) current_.query = std::string(origin.substr(question + 1));

  while (line_end != std::string_view::npos) {
    const std::size_t start = line_end + kCrlf.size();
    line_end = head.find(kCrlf, start);
    const std::string_view line = head.substr(start, line_end == std::string_view::npos ? line_end : line_end - start);
    if (line.empty()) continue;
    if (line.front() == ' ' || line.front() == '\t') return fail(400, "folded header lines are not accepted");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail(400, "malformed header line");
    const std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), is_token_char)) return fail(400, "malformed header name");
    current_.headers.push_back({to_lower(name), std::string(trim(line.substr(colon + 1)))});
  }

  if (const std::string* te = current_.header("transfer-encoding")) {
    std::string_view codings = *te;
    const std::size_t comma = codings.rfind(',');
    const std::string last = to_lower(trim(comma == std::string_view::npos ? codings : codings.substr(comma + 1)));
    if (last != "chunked") return fail(501, "transfer coding '" + std::string(trim(codings)) + "' is not supported");
    stage_ = Stage::ChunkSize;
    return Outcome::NeedMore;
  }

  std::string length_text;
  for (const auto& h : current_.headers) {
    if (h.name != "content-length") continue;
    if (!length_text.empty() && length_text != h.value) return fail(400, "conflicting Content-Length headers");
    length_text = h.value;
  }
  if (length_text.empty()) {
    body_remaining_ = 0;
  } else {
    if (length_text.size() > 18 ||
        !std::all_of(length_text.begin(), length_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return fail(400, "malformed Content-Length");
    }
    const std::uint64_t length = std::stoull(length_text);
    if (length > max_body_bytes_) return fail(413, "request body over the size limit");
    body_remaining_ = static_cast<std::size_t>(length);
  }
  stage_ = Stage::FixedBody;
  return Outcome::NeedMore;
}

RequestParser::Outcome RequestParser::finish_request(HttpRequest& out) {
  out = std::move(current_);
  current_ = HttpRequest();
  stage_ = Stage::Head;
  buffer_.erase(0, consumed_);
  consumed_ = 0;
  return Outcome::Request;
}

}  // namespace aw::fake_llm
