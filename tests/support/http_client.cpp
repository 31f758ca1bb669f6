// Raw HTTP/1.1 GET client and Prometheus text reader (see http_client.h).
#include "tests/support/http_client.h"

#include <cctype>
#include <cstdlib>

#include "tests/support/tcp_socket.h"

namespace aw::test {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// Decodes a complete chunked body; nullopt while incomplete.
std::optional<std::string> decode_chunked(std::string_view raw) {
  std::string out;
  for (;;) {
    const auto eol = raw.find("\r\n");
    if (eol == std::string_view::npos) return std::nullopt;
    const std::size_t size = std::strtoul(std::string(raw.substr(0, eol)).c_str(), nullptr, 16);
    raw.remove_prefix(eol + 2);
    if (size == 0) return out;
    if (raw.size() < size + 2) return std::nullopt;
    out.append(raw.substr(0, size));
    raw.remove_prefix(size + 2);
  }
}

// Parses `{a="x",b="y"}` into a map; false on malformed text.
bool parse_labels(std::string_view text, std::map<std::string, std::string>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto eq = text.find('=', i);
    if (eq == std::string_view::npos || eq + 1 >= text.size() || text[eq + 1] != '"') return false;
    std::string key = trim(text.substr(i, eq - i));
    std::string value;
    std::size_t j = eq + 2;
    for (; j < text.size() && text[j] != '"'; ++j) {
      if (text[j] == '\\' && j + 1 < text.size()) ++j;
      value.push_back(text[j]);
    }
    if (j >= text.size()) return false;
    out[key] = value;
    i = j + 1;
    if (i < text.size() && text[i] == ',') ++i;
  }
  return true;
}

}  // namespace

Result<HttpResponse> http_request(const std::string& host, int port, const std::string& method, const std::string& path,
                                  Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  auto left = [&] { return std::chrono::duration_cast<Millis>(deadline - Clock::now()); };
  TcpSocket socket;
  Status s = socket.connect(host, port, timeout);
  if (!s) return s;
  const std::string request = method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
                              "\r\nUser-Agent: aw-integration-test\r\nConnection: close\r\n\r\n";
  s = socket.write_all(request, left());
  if (!s) return s;

  std::string raw;
  std::optional<std::size_t> head_end;
  HttpResponse response;
  std::optional<std::size_t> content_length;
  bool chunked = false;
  for (;;) {
    if (head_end) {
      const std::string_view body = std::string_view(raw).substr(*head_end);
      if (content_length && body.size() >= *content_length) {
        response.body = std::string(body.substr(0, *content_length));
        return response;
      }
      if (chunked) {
        if (auto decoded = decode_chunked(body)) {
          response.body = std::move(*decoded);
          return response;
        }
      }
    }
    s = socket.read_some(raw, left());
    if (s.code() == "eof" && head_end && !content_length && !chunked) {
      response.body = raw.substr(*head_end);
      return response;
    }
    if (!s) return Status::error(s.code(), "HTTP " + method + " " + path + ": " + s.message());
    if (!head_end) {
      const auto pos = raw.find("\r\n\r\n");
      if (pos == std::string::npos) continue;
      head_end = pos + 4;
      const std::string head = raw.substr(0, pos);
      // Status line: HTTP/1.1 200 OK
      const auto sp = head.find(' ');
      if (sp == std::string::npos) return Status::error("http", "malformed status line: " + head);
      response.status = std::atoi(head.c_str() + sp + 1);
      std::size_t line_start = head.find("\r\n");
      while (line_start != std::string::npos) {
        line_start += 2;
        const auto line_end = head.find("\r\n", line_start);
        const std::string line = head.substr(line_start, line_end - line_start);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
          response.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
        }
        line_start = line_end;
      }
      if (auto it = response.headers.find("content-length"); it != response.headers.end()) {
        content_length = std::strtoull(it->second.c_str(), nullptr, 10);
      }
      if (auto it = response.headers.find("transfer-encoding"); it != response.headers.end()) {
        chunked = lower(it->second).find("chunked") != std::string::npos;
      }
    }
  }
}

std::optional<double> metric_value(std::string_view text, std::string_view name,
                                   const std::map<std::string, std::string>& labels) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, name.size()) != name) continue;
    std::string_view rest = line.substr(name.size());
    std::map<std::string, std::string> sample_labels;
    if (!rest.empty() && rest.front() == '{') {
      const auto close = rest.find('}');
      if (close == std::string_view::npos || !parse_labels(rest.substr(1, close - 1), sample_labels)) continue;
      rest = rest.substr(close + 1);
    }
    if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) continue;  // a longer metric name
    bool matches = labels.empty() ? sample_labels.empty() : true;
    for (const auto& [key, value] : labels) {
      auto it = sample_labels.find(key);
      if (it == sample_labels.end() || it->second != value) matches = false;
    }
    if (!matches) continue;
    return std::strtod(trim(rest).c_str(), nullptr);
  }
  return std::nullopt;
}

bool has_metric(std::string_view text, std::string_view name) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    for (std::string_view prefix : {"# TYPE ", "# HELP "}) {
      if (line.substr(0, prefix.size()) == prefix) line.remove_prefix(prefix.size());
    }
    if (line.substr(0, name.size()) != name) continue;
    const std::string_view rest = line.substr(name.size());
    if (rest.empty() || rest.front() == '{' || rest.front() == ' ' || rest.front() == '_') return true;
  }
  return false;
}

}  // namespace aw::test
