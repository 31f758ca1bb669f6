// Sender: a soak connection that sends valid `message` frames with unique messageIds to random worlds at a paced
// rate (half of them naming the world's current chat, half without chatId), and now and then sends one of its
// earlier messages again (same id, content and chatId), which the gateway must acknowledge as `queued` with
// duplicate:true and run only once (ws-protocol.md §7.3), with or without chatId. It stays connected for the
// whole run, so it receives every lifecycle status of its messages (§5.1): each must reach `completed`; a `failed`
// or a missing `completed` at the end is a violation. Message ids are "<prefix>-<n>" (the prefix names the
// phase and the connection), so ids never repeat within a gateway's life.
// Thread-safety: see LoadConnection.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tests/soak/load_connection.h"
#include "tests/soak/soak_socket.h"

namespace aw::test {

class Sender : public LoadConnection {
 public:
  // `world_chats`: the worlds to send to, each with its current chat id.
  Sender(int port, std::map<std::string, std::string> world_chats, std::string id_prefix, std::uint32_t seed,
         SteadyTime first_send);

  // LoadConnection
  void step(SteadyTime now) override;
  bool drain(SteadyTime now) override;
  void finish() override;

 private:
  struct Sent {
    std::string world;
    std::string chat;     // "" when sent without chatId
    int queued_acks = 0;  // `queued` statuses received (the first, then one per duplicate)
    bool completed = false;
    bool failed = false;
  };

  void read();
  void handle(const Frame& frame);
  void send_new();
  void send_duplicate();
  std::string frame_of(const std::string& message_id, const Sent& sent) const;

  SoakSocket socket_;
  std::vector<std::pair<std::string, std::string>> world_chats_;
  std::string id_prefix_;
  std::mt19937 rng_;
  SteadyTime next_send_;
  bool sending_ = true;
  bool connected_once_ = false;
  std::uint64_t next_index_ = 0;
  std::map<std::string, Sent> sent_;         // by messageId
  std::vector<std::string> repeatable_ids_;  // queued at least once
};

}  // namespace aw::test
