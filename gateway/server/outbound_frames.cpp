#include "gateway/server/outbound_frames.h"

#include <algorithm>
#include <utility>

namespace aw::gateway {

void OutboundFrames::write_header(Frame& frame, FrameOpcode opcode, std::size_t payload_size) {
  auto& h = frame.header;
  h[0] = static_cast<unsigned char>(0x80 | static_cast<unsigned>(opcode));  // FIN: the server never fragments
  if (payload_size < 126) {
    h[1] = static_cast<unsigned char>(payload_size);
    frame.header_size = 2;
  } else if (payload_size <= 0xFFFF) {
    h[1] = 126;
    h[2] = static_cast<unsigned char>(payload_size >> 8);
    h[3] = static_cast<unsigned char>(payload_size);
    frame.header_size = 4;
  } else {
    h[1] = 127;
    const auto size = static_cast<std::uint64_t>(payload_size);
    for (int i = 0; i < 8; ++i) h[2 + i] = static_cast<unsigned char>(size >> (56 - 8 * i));
    frame.header_size = 10;
  }
}

void OutboundFrames::push(FrameOpcode opcode, std::string payload) {
  Frame frame;
  write_header(frame, opcode, payload.size());
  frame.owned = std::move(payload);
  add(std::move(frame));
}

void OutboundFrames::push_shared(FrameOpcode opcode, std::shared_ptr<const std::string> payload) {
  Frame frame;
  write_header(frame, opcode, payload->size());
  frame.shared = std::move(payload);
  add(std::move(frame));
}

void OutboundFrames::push_raw(std::string bytes) {
  Frame frame;
  frame.owned = std::move(bytes);
  add(std::move(frame));
}

void OutboundFrames::add(Frame frame) {
  bytes_ += frame.size();
  frames_.push_back(std::move(frame));
}

std::size_t OutboundFrames::gather(std::vector<asio::const_buffer>& out, std::size_t max_buffers) const {
  std::size_t added = 0;
  std::size_t skip = head_written_;
  for (std::size_t i = head_; i < frames_.size() && added + 2 <= max_buffers; ++i) {
    const Frame& f = frames_[i];
    if (skip < f.header_size) {
      out.emplace_back(f.header.data() + skip, f.header_size - skip);
      ++added;
      skip = 0;
    } else {
      skip -= f.header_size;
    }
    const std::string& payload = f.payload();
    if (skip < payload.size()) {
      out.emplace_back(payload.data() + skip, payload.size() - skip);
      ++added;
    }
    skip = 0;
  }
  return added;
}

void OutboundFrames::consume(std::size_t written) {
  bytes_ -= written;
  written += head_written_;
  while (head_ < frames_.size() && written >= frames_[head_].size()) {
    written -= frames_[head_].size();
    frames_[head_] = Frame();  // releases the payload now, not when the queue empties
    ++head_;
  }
  head_written_ = written;
  if (head_ == frames_.size()) {
    frames_.clear();
    // A small capacity is kept for the next responses; a large one (a replay's backlog) goes back to the heap, so
    // an idle connection stays small.
    if (frames_.capacity() > kKeptCapacity) frames_.shrink_to_fit();
    head_ = 0;
    head_written_ = 0;
  } else if (head_ >= kKeptCapacity && head_ * 2 >= frames_.size()) {
    // A queue that never empties (a slow but live subscriber) drops its written slots now and then.
    frames_.erase(frames_.begin(), frames_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

void OutboundFrames::clear() {
  frames_.clear();
  frames_.shrink_to_fit();
  head_ = 0;
  head_written_ = 0;
  bytes_ = 0;
}

}  // namespace aw::gateway
