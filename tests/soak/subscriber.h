// Subscriber: a soak connection that subscribes to a few worlds (world-wide), stays a random while, drops the
// connection (closing handshake or RST) and comes back subscribing with the last seq and epoch it saw
// (ws-protocol.md §4.3). Across all its connections it checks that every persisted frame of each world arrives
// exactly once and in order: each seq is the previous one + 1, replayed frames (historical) come between the ack
// and replay-complete only, the ack announces replayCount = latestSeq - lastSeen with recovered:true, and
// replay-complete ends at the ack's latestSeq. It sends only valid frames, so any error frame or any close by the
// gateway is a violation.
// Thread-safety: see LoadConnection.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tests/soak/load_connection.h"
#include "tests/soak/soak_socket.h"

namespace aw::test {

class Subscriber : public LoadConnection {
 public:
  // `worlds`: the world ids this subscriber follows (each on every connection it opens).
  Subscriber(int port, std::vector<std::string> worlds, std::uint32_t seed, SteadyTime first_connect);

  // LoadConnection
  void step(SteadyTime now) override;
  bool drain(SteadyTime now) override;
  void finish() override;

 private:
  // What this subscriber knows of one world, across connections.
  struct Cursor {
    std::int64_t last_seq = -1;  // -1: never subscribed yet
    std::string epoch;
    // Of the current connection:
    bool acked = false;
    bool replaying = false;
    std::int64_t replay_end = 0;  // the ack's latestSeq
  };

  void connect(SteadyTime now);
  void disconnect(SteadyTime now);
  void handle(const Frame& frame);
  void on_subscribed(const Frame& frame);
  void on_replay_complete(const Frame& frame);
  void on_persisted(const Frame& frame, std::int64_t seq);
  Cursor* cursor_of(const Frame& frame);
  Millis random_ms(int low, int high);

  SoakSocket socket_;
  std::mt19937 rng_;
  std::map<std::string, Cursor> cursors_;                // by worldId
  std::map<std::string, std::int64_t> subscribed_with_;  // worldId -> seq sent on this connection (-1: none)
  SteadyTime next_connect_;
  SteadyTime disconnect_at_;
};

}  // namespace aw::test
