// SoakSocket: the WebSocket of one soak load connection, a RawWsClient (no io thread of its own, so hundreds of
// connections cost a few client threads) that is read without blocking: poll() returns whatever complete frames
// have arrived, answers the gateway's control pings, and notices when the gateway closed the connection.
// Also the place that counts frames in and out for the summary.
// Thread-safety: one thread at a time (the load thread that owns the connection).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tests/support/frame.h"
#include "tests/support/raw_ws_client.h"

namespace aw::test {

class SoakSocket {
 public:
  explicit SoakSocket(int port) : port_(port) {}
  SoakSocket(const SoakSocket&) = delete;
  SoakSocket& operator=(const SoakSocket&) = delete;

  // A new TCP connection and opening handshake on 127.0.0.1:<port> (any previous one is dropped first).
  Status open();
  bool is_open() const { return client_ != nullptr; }

  // One masked frame with `opcode` (1 text, 2 binary); fails when the connection is gone.
  Status send(std::uint8_t opcode, std::string_view payload);
  Status send_text(std::string_view text) { return send(1, text); }

  // Every text or binary frame that arrived, parsed (at most kMaxFramesPerPoll, so one busy connection cannot
  // starve the others of its thread). A control ping is answered with a pong. When the gateway closes (a close
  // frame, or the TCP connection ends without one) the socket is dropped and peer_close_code() tells how.
  std::vector<Frame> poll();
  // The code of the gateway's close frame, 1006 when the connection ended without one; nullopt while open and
  // after a close this side started.
  std::optional<int> peer_close_code() const { return peer_close_code_; }

  // Closing handshake from this side (1000), waiting up to `timeout` for the gateway's answer.
  void close(Millis timeout = Millis(2000));
  // Drops the connection with an RST, no closing handshake (if it is still open), and forgets peer_close_code().
  void reset();

  std::uint64_t frames_in() const { return frames_in_; }
  std::uint64_t frames_out() const { return frames_out_; }

 private:
  static constexpr int kMaxFramesPerPoll = 256;

  const int port_;
  std::unique_ptr<RawWsClient> client_;
  std::optional<int> peer_close_code_;
  std::uint64_t frames_in_ = 0;
  std::uint64_t frames_out_ = 0;
};

}  // namespace aw::test
