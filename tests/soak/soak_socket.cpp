// SoakSocket (see soak_socket.h).
#include "tests/soak/soak_socket.h"

#include <string>
#include <utility>

namespace aw::test {
namespace {

constexpr std::uint8_t kOpText = 1;
constexpr std::uint8_t kOpBinary = 2;
constexpr std::uint8_t kOpClose = 8;
constexpr std::uint8_t kOpPing = 9;
constexpr std::uint8_t kOpPong = 10;
// Opening a connection waits this long: hundreds of connections open at once at the start of a phase.
constexpr Millis kOpenTimeout{10000};
constexpr Millis kSendTimeout{5000};

}  // namespace

Status SoakSocket::open() {
  client_.reset();
  peer_close_code_.reset();
  auto client = std::make_unique<RawWsClient>();
  Status s = client->connect("127.0.0.1", port_, "/", {}, kOpenTimeout);
  if (!s) return s;
  client_ = std::move(client);
  return Status::ok();
}

Status SoakSocket::send(std::uint8_t opcode, std::string_view payload) {
  if (!client_) return Status::error("closed", "the connection is closed");
  Status s = client_->send_frame(opcode, payload, kSendTimeout);
  if (s) ++frames_out_;
  return s;
}

std::vector<Frame> SoakSocket::poll() {
  std::vector<Frame> frames;
  while (client_ && frames.size() < static_cast<std::size_t>(kMaxFramesPerPoll)) {
    auto frame = client_->read_frame(Millis(0));
    if (!frame) {
      if (frame.status().code() == "timeout") break;
      // "eof" or "reset": the gateway went away without a close frame (RFC 6455's 1006).
      peer_close_code_ = 1006;
      client_.reset();
      break;
    }
    switch (frame->opcode) {
      case kOpText:
      case kOpBinary:
        ++frames_in_;
        frames.push_back(make_frame(std::move(frame->payload), frame->opcode == kOpBinary));
        break;
      case kOpPing:
        (void)client_->send_frame(kOpPong, frame->payload, kSendTimeout);
        break;
      case kOpClose:
        peer_close_code_ = frame->close_code();
        // Answer the close as RFC 6455 asks; the gateway may already have dropped the socket.
        (void)client_->send_frame(kOpClose, frame->payload.substr(0, 2), kSendTimeout);
        client_.reset();
        break;
      default:  // pongs and anything else: nothing to do
        break;
    }
  }
  return frames;
}

void SoakSocket::close(Millis timeout) {
  if (!client_) return;
  const std::string code = {static_cast<char>(1000 >> 8), static_cast<char>(1000 & 0xff)};
  if (client_->send_frame(kOpClose, code, kSendTimeout)) (void)client_->read_until_close(timeout);
  client_.reset();
}

void SoakSocket::reset() {
  peer_close_code_.reset();
  if (!client_) return;
  client_->reset();
  client_.reset();
}

}  // namespace aw::test
