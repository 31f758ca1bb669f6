// The replyToMessageId rule (see reply_chain.h).
#include "processor/runtime/reply_chain.h"

#include <unordered_set>

namespace aw::processor {

void ReplyChain::add(const std::string& message_id, const std::optional<std::string>& parent) {
  parent_of_.emplace(message_id, parent);
}

std::optional<std::string> ReplyChain::checked_parent(std::string_view id, const std::string& parent) const {
  if (parent == id) return std::nullopt;
  std::unordered_set<std::string> seen{std::string(id)};
  std::string current = parent;
  int ancestors = 0;
  while (true) {
    if (!seen.insert(current).second) return std::nullopt;  // loop
    if (++ancestors >= kMaxReplyAncestors) return std::nullopt;
    auto it = parent_of_.find(current);
    if (it == parent_of_.end() || !it->second) return parent;  // root, or a parent we cannot see: kept
    current = *it->second;
  }
}

}  // namespace aw::processor
