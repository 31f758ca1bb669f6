// RawWsClient (see raw_ws_client.h). Uses websocketpp's header-only SHA-1 and base64 for the accept key check only.
#include "tests/support/raw_ws_client.h"

#include <cctype>
#include <cstdlib>
#include <random>

#include <websocketpp/base64/base64.hpp>
#include <websocketpp/sha1/sha1.hpp>

namespace aw::test {
namespace {

constexpr char kWebSocketGuid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::string expected_accept(const std::string& key) {
  const std::string material = key + kWebSocketGuid;
  unsigned char hash[20];
  websocketpp::sha1::calc(material.data(), material.size(), hash);
  return websocketpp::base64_encode(hash, sizeof(hash));
}

std::string header_value(const std::string& head, const std::string& lower_name) {
  std::string lowered = head;
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto pos = lowered.find("\r\n" + lower_name + ":");
  if (pos == std::string::npos) return "";
  auto start = pos + 2 + lower_name.size() + 1;
  const auto end = head.find("\r\n", start);
  while (start < end && head[start] == ' ') ++start;
  return head.substr(start, end - start);
}

bool header_is(const std::string& name, const char* lower_name) {
  std::string lowered = name;
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lowered == lower_name;
}

}  // namespace

int RawFrame::close_code() const {
  if (opcode != 8 || payload.size() < 2) return 0;
  return (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
}

Status RawWsClient::connect(const std::string& host, int port, const std::string& path, const Headers& headers,
                            Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  auto left = [&] { return std::chrono::duration_cast<Millis>(deadline - Clock::now()); };
  Status s = socket_.connect(host, port, timeout, options_.receive_buffer_bytes);
  if (!s) return s;
  std::mt19937 rng{std::random_device{}()};
  std::string nonce(16, '\0');
  for (char& c : nonce) c = static_cast<char>(rng());
  const std::string key = websocketpp::base64_encode(nonce);
  bool has_host = false;
  for (const auto& header : headers) has_host = has_host || header_is(header.first, "host");
  std::string request = "GET " + path + " HTTP/1.1\r\n";
  if (!has_host) request += "Host: " + host + ":" + std::to_string(port) + "\r\n";
  request +=
      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  s = socket_.write_all(request, left());
  if (!s) return s;
  for (;;) {
    const auto end = buffer_.find("\r\n\r\n");
    if (end != std::string::npos) {
      response_head_ = buffer_.substr(0, end + 2);
      buffer_.erase(0, end + 4);
      break;
    }
    s = socket_.read_some(buffer_, left());
    if (!s) return Status::error(s.code(), "handshake: " + s.message());
  }
  const auto sp = response_head_.find(' ');
  http_status_ = sp == std::string::npos ? 0 : std::atoi(response_head_.c_str() + sp + 1);
  if (http_status_ != 101) {
    return Status::error("refused", "upgrade refused with HTTP " + std::to_string(http_status_));
  }
  if (header_value(response_head_, "sec-websocket-accept") != expected_accept(key)) {
    return Status::error("handshake", "wrong Sec-WebSocket-Accept");
  }
  return Status::ok();
}

Status RawWsClient::send_frame(std::uint8_t opcode, std::string_view payload, Millis timeout) {
  std::string out;
  out.push_back(static_cast<char>(0x80 | (opcode & 0x0f)));
  const std::uint64_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(0x80 | n));
  } else if (n <= 0xffff) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>((n >> 8) & 0xff));
    out.push_back(static_cast<char>(n & 0xff));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  const char key[4] = {0x1b, 0x2c, 0x3d, 0x4e};
  out.append(key, 4);
  for (std::size_t i = 0; i < payload.size(); ++i) out.push_back(static_cast<char>(payload[i] ^ key[i % 4]));
  return socket_.write_all(out, timeout);
}

Result<RawFrame> RawWsClient::read_frame(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    // Server frames are unmasked: 2 header bytes, optional 2 or 8 length bytes, then the payload.
    if (buffer_.size() >= 2) {
      const auto b0 = static_cast<unsigned char>(buffer_[0]);
      const auto b1 = static_cast<unsigned char>(buffer_[1]);
      std::size_t header = 2;
      std::uint64_t length = b1 & 0x7f;
      const bool masked = (b1 & 0x80) != 0;
      if (length == 126) header = 4;
      if (length == 127) header = 10;
      if (masked) header += 4;
      if (buffer_.size() >= header) {
        if (length == 126) {
          length = (static_cast<unsigned char>(buffer_[2]) << 8) | static_cast<unsigned char>(buffer_[3]);
        } else if (length == 127) {
          length = 0;
          for (int i = 0; i < 8; ++i) length = (length << 8) | static_cast<unsigned char>(buffer_[2 + i]);
        }
        if (buffer_.size() >= header + length) {
          RawFrame frame;
          frame.fin = (b0 & 0x80) != 0;
          frame.opcode = b0 & 0x0f;
          frame.payload = buffer_.substr(header, length);
          if (masked) {
            const std::string key = buffer_.substr(header - 4, 4);
            for (std::size_t i = 0; i < frame.payload.size(); ++i) frame.payload[i] ^= key[i % 4];
          }
          buffer_.erase(0, header + length);
          return frame;
        }
      }
    }
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    Status s = socket_.read_some(buffer_, left.count() > 0 ? left : Millis(0));
    if (!s) return s;
  }
}

std::optional<int> RawWsClient::read_until_close(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    auto frame = read_frame(left.count() > 0 ? left : Millis(0));
    if (frame.is_ok()) {
      if (frame->opcode == 8) return frame->close_code();
      continue;
    }
    if (frame.status().code() == "timeout") return std::nullopt;
    return 1006;
  }
}

}  // namespace aw::test
