// SubscriptionBook: the client side of subscriptions and sequence numbers (ws-protocol.md §4.3, §6).
// - Remembers every subscription (worldId, chatId|null) with the last seq it has seen and the world's epoch, so a
//   reconnect can resubscribe each one from where it stopped.
// - De-duplicates seq-bearing frames per world: a seq already delivered (live, replayed, or through another
//   subscription of the same world) is dropped. Frames without seq (chunks, statuses) always pass.
// Thread-safety: none; owned by the client's io thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace aw::client {

struct Subscription {
  std::string world_id;
  std::optional<std::string> chat_id;  // nullopt = world-wide
  std::int64_t last_seq = 0;           // 0 = nothing seen yet (subscribe without a seq)
  std::string epoch;                   // epoch of last_seq; "" until the first ack
};

class SubscriptionBook {
 public:
  // How many seqs per world are remembered exactly; older ones count as seen (below the window).
  static constexpr std::size_t kSeenWindow = 8192;

  // Adds or replaces the subscription (world, chat), keeping its last seq when it already exists.
  void add(const std::string& world_id, const std::optional<std::string>& chat_id);
  // Removes (world, chat); with `all_chats` every subscription of the world.
  void remove(const std::string& world_id, const std::optional<std::string>& chat_id, bool all_chats);
  std::vector<Subscription> all() const;
  const Subscription* find(const std::string& world_id, const std::optional<std::string>& chat_id) const;

  // The `subscribed` ack: records the epoch. A changed epoch means the world was recreated: its seen set is
  // cleared and last seqs restart. With replay_count 0 the ack's seq (the live position) becomes last_seq.
  void on_ack(const std::string& world_id, const std::optional<std::string>& chat_id, const std::string& epoch,
              std::int64_t seq, std::int64_t replay_count);
  // `replay-complete`: latest_seq becomes the subscription's position (what was lost is not asked for again).
  void on_replay_complete(const std::string& world_id, const std::optional<std::string>& chat_id,
                          std::int64_t latest_seq);

  // A seq-bearing frame of `world_id` (chat_id as in the frame). Returns false for a duplicate (drop it); true for
  // a new frame, which then advances last_seq of every subscription whose filter it passes (§5.2).
  bool accept(const std::string& world_id, const std::optional<std::string>& chat_id, std::int64_t seq);

 private:
  using Key = std::pair<std::string, std::string>;  // (world, chat or "" for world-wide)
  static Key key(const std::string& world_id, const std::optional<std::string>& chat_id);

  struct Seen {
    std::set<std::int64_t> seqs;
    std::int64_t floor = 0;  // every seq <= floor counts as seen
  };
  std::map<Key, Subscription> subs_;
  std::map<std::string, Seen> seen_;  // per world
};

}  // namespace aw::client
