// ChatTurns (see chat_turns.h).
#include "processor/providers/chat_turns.h"

namespace aw::processor::providers {

ChatTurns to_chat_turns(const std::vector<LlmMessage>& messages) {
  ChatTurns turns;
  for (const LlmMessage& m : messages) {
    if (m.role == "system") {
      if (!turns.system.empty()) turns.system += "\n\n";
      turns.system += m.content;
      continue;
    }
    const std::string role = m.role == "assistant" ? "assistant" : "user";
    if (turns.messages.empty() && role == "assistant") continue;  // both APIs require a user turn first
    if (!turns.messages.empty() && turns.messages.back().role == role) {
      turns.messages.back().content += "\n\n";
      turns.messages.back().content += m.content;
    } else {
      turns.messages.push_back(LlmMessage{role, m.content});
    }
  }
  return turns;
}

}  // namespace aw::processor::providers
