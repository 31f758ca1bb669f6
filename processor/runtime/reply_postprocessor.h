// Reply post-processing (agent-runtime.md §5.1): turns an agent's raw LLM text R into the published text F.
// World tags (`<world>STOP|DONE|PASS|TO: a, b</world>`) are removed and steer the result, self-mentions at line
// starts are removed, and a reply to a non-human that addresses nobody is auto-mentioned back to its sender.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace aw::processor {

struct ReplyContext {
  std::string_view agent_id;        // the responder A (kebab-case id)
  std::string_view message_sender;  // M.sender, as sent
  bool sender_is_human = false;     // M.sender classifies as HUMAN (§3.1)
};

// F for raw text R. A blank result means "publish nothing" (§5 step 7).
std::string postprocess_reply(std::string_view raw, const ReplyContext& context);

}  // namespace aw::processor
