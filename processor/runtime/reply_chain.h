// ReplyChain: the parent links a run knows (history rows, the trigger, the attempt's own messages) and the rule of
// agent-runtime.md §5 for a reply's replyToMessageId: cleared when it equals the reply's own id, when following
// parents from it loops, or when it has 100 or more ancestors; a parent that cannot be found is kept [compat].
// Thread-safety: a value owned by one run.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace aw::processor {

inline constexpr int kMaxReplyAncestors = 100;

class ReplyChain {
 public:
  // Records a message and its parent (nullopt for a root). The first record of an id wins.
  void add(const std::string& message_id, const std::optional<std::string>& parent);

  // The replyToMessageId to store for message `id` answering `parent`.
  std::optional<std::string> checked_parent(std::string_view id, const std::string& parent) const;

 private:
  std::unordered_map<std::string, std::optional<std::string>> parent_of_;
};

}  // namespace aw::processor
