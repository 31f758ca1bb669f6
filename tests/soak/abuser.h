// Abuser: a soak connection that sends what a broken or hostile client sends, one thing at a time, and checks the
// gateway's answer (ws-protocol.md §2, §3.4, §3.5, §4.6): malformed JSON and non-objects (error bad_json), unknown
// or missing types (unknown_type), fields of the wrong type and commands without a name (invalid_request), an
// unknown command (unknown_command), a message to an unknown world (world_not_found), binary frames (handled as
// text: garbage -> bad_json, a ping -> pong), a frame over AW_MAX_FRAME_BYTES (close 1009), invalid UTF-8 (close
// 1007), a flood of refused frames (rate_limited, then close 4029, see on_flood_frame), and requests cut off by an
// RST right after they were sent. After a close it reconnects. A wrong answer, or none within kAnswerTimeout, is a
// violation.
// Thread-safety: see LoadConnection.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tests/soak/load_connection.h"
#include "tests/soak/soak_socket.h"

namespace aw::test {

class Abuser : public LoadConnection {
 public:
  // `max_frame_bytes`: the gateway's AW_MAX_FRAME_BYTES (the oversized frame is a little larger);
  // `rate_limit_burst`: its AW_RATE_LIMIT_BURST (a flood is sized to exceed it twice).
  Abuser(int port, std::vector<std::string> worlds, std::size_t max_frame_bytes, int rate_limit_burst,
         std::uint32_t seed, SteadyTime first_action);

  // LoadConnection
  void step(SteadyTime now) override;
  bool drain(SteadyTime now) override;
  void finish() override;

 private:
  // The answer the current abuse waits for: an error with `code`, a pong, or a close with `close_code`.
  struct Expectation {
    std::string kind;
    std::string type;        // "error" or "pong"; "" when a close is expected
    std::string code;        // error code
    std::string request_id;  // "" when the frame cannot carry one (it is not JSON)
    int close_code = 0;
    SteadyTime deadline;
    int refusals = 0;  // rate_limited errors seen during a flood
  };

  void act(SteadyTime now);
  void send(std::uint8_t opcode, const std::string& payload);
  void expect_error(const std::string& kind, std::string code, std::string request_id, SteadyTime now);
  void expect_close(const std::string& kind, int code, SteadyTime now);
  void handle(const Frame& frame, SteadyTime now);
  void on_flood_frame(const Frame& frame, SteadyTime now);
  void met(SteadyTime now);
  void reconnect_later(SteadyTime now);
  std::string next_request_id();

  SoakSocket socket_;
  std::vector<std::string> worlds_;
  const std::size_t max_frame_bytes_;
  const int rate_limit_burst_;
  std::mt19937 rng_;
  SteadyTime next_action_;
  std::optional<Expectation> expecting_;
  std::uint64_t request_counter_ = 0;
  bool draining_ = false;
};

}  // namespace aw::test
