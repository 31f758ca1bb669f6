// OutboundFrames: one connection's WebSocket frames waiting for its socket, as server frames (RFC 6455 §5.2,
// unmasked). A frame is its header, written here, and its payload, either owned (a direct response) or shared with
// every other connection that fans the same frame out (no copy per subscriber). The socket writes take
// scatter-gather buffers from the front and report how many bytes went out; a frame leaves once all of it went.
//
// Socket-free, so partial writes are unit-tested without a socket.
// Thread-safety: none (one connection's loop thread).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <asio/buffer.hpp>

namespace aw::gateway {

// RFC 6455 opcodes the server sends.
enum class FrameOpcode : std::uint8_t { text = 0x1, close = 0x8, ping = 0x9, pong = 0xA };

class OutboundFrames {
 public:
  void push(FrameOpcode opcode, std::string payload);
  void push_shared(FrameOpcode opcode, std::shared_ptr<const std::string> payload);
  // Raw bytes with no frame header (the HTTP response of the handshake).
  void push_raw(std::string bytes);

  bool empty() const { return head_ == frames_.size(); }
  // Bytes not yet written.
  std::size_t bytes() const { return bytes_; }

  // Appends up to `max_buffers` buffers covering the unwritten bytes from the front; returns how many.
  std::size_t gather(std::vector<asio::const_buffer>& out, std::size_t max_buffers) const;
  // `written` bytes from the front went to the socket.
  void consume(std::size_t written);
  // Drops everything (the connection ended).
  void clear();

 private:
  struct Frame {
    std::array<unsigned char, 10> header{};
    std::uint8_t header_size = 0;
    std::string owned;
    std::shared_ptr<const std::string> shared;
    const std::string& payload() const { return shared ? *shared : owned; }
    std::size_t size() const { return header_size + payload().size(); }
  };
  void add(Frame frame);
  static void write_header(Frame& frame, FrameOpcode opcode, std::size_t payload_size);

  // Frame slots a queue keeps when it empties (a few responses' worth).
  static constexpr std::size_t kKeptCapacity = 16;

  std::vector<Frame> frames_;
  std::size_t head_ = 0;          // first frame not completely written
  std::size_t head_written_ = 0;  // bytes of frames_[head_] already written
  std::size_t bytes_ = 0;
};

}  // namespace aw::gateway
