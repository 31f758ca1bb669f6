// SubscriptionBook (see subscription_book.h).
#include "client/subscription_book.h"

#include <algorithm>

namespace aw::client {

SubscriptionBook::Key SubscriptionBook::key(const std::string& world_id, const std::optional<std::string>& chat_id) {
  return {world_id, chat_id.value_or("")};
}

void SubscriptionBook::add(const std::string& world_id, const std::optional<std::string>& chat_id) {
  auto k = key(world_id, chat_id);
  if (subs_.count(k) != 0) return;
  Subscription s;
  s.world_id = world_id;
  s.chat_id = chat_id;
  subs_.emplace(std::move(k), std::move(s));
}

void SubscriptionBook::remove(const std::string& world_id, const std::optional<std::string>& chat_id, bool all_chats) {
  for (auto it = subs_.begin(); it != subs_.end();) {
    const bool match = it->first.first == world_id && (all_chats || it->first.second == chat_id.value_or(""));
    it = match ? subs_.erase(it) : std::next(it);
  }
}

std::vector<Subscription> SubscriptionBook::all() const {
  std::vector<Subscription> out;
  out.reserve(subs_.size());
  for (const auto& [k, s] : subs_) out.push_back(s);
  return out;
}

const Subscription* SubscriptionBook::find(const std::string& world_id,
                                           const std::optional<std::string>& chat_id) const {
  auto it = subs_.find(key(world_id, chat_id));
  return it == subs_.end() ? nullptr : &it->second;
}

void SubscriptionBook::on_ack(const std::string& world_id, const std::optional<std::string>& chat_id,
                              const std::string& epoch, std::int64_t seq, std::int64_t replay_count) {
  auto it = subs_.find(key(world_id, chat_id));
  if (it == subs_.end()) return;
  Subscription& s = it->second;
  if (!epoch.empty() && !s.epoch.empty() && epoch != s.epoch) {
    // The world was deleted and created again: its seqs continue, but what we saw belongs to the old world.
    for (auto& [k, other] : subs_) {
      if (k.first == world_id) other.last_seq = 0;
    }
    seen_.erase(world_id);
  }
  if (!epoch.empty()) s.epoch = epoch;
  if (replay_count == 0) s.last_seq = std::max(s.last_seq, seq);
}

void SubscriptionBook::on_replay_complete(const std::string& world_id, const std::optional<std::string>& chat_id,
                                          std::int64_t latest_seq) {
  auto it = subs_.find(key(world_id, chat_id));
  if (it != subs_.end()) it->second.last_seq = std::max(it->second.last_seq, latest_seq);
}

bool SubscriptionBook::accept(const std::string& world_id, const std::optional<std::string>& chat_id,
                              std::int64_t seq) {
  Seen& seen = seen_[world_id];
  if (seq <= seen.floor || !seen.seqs.insert(seq).second) return false;
  while (seen.seqs.size() > kSeenWindow) {
    seen.floor = *seen.seqs.begin();
    seen.seqs.erase(seen.seqs.begin());
  }
  for (auto& [k, s] : subs_) {
    if (k.first != world_id) continue;
    // The delivery filter of ws-protocol.md §5.2: world-wide, same chat, or a frame without chat.
    const bool passes = !s.chat_id || !chat_id || *s.chat_id == *chat_id;
    if (passes) s.last_seq = std::max(s.last_seq, seq);
  }
  return true;
}

}  // namespace aw::client
