// The message shape Anthropic and Gemini require (agent-runtime.md §7.2): the system text apart, then strictly
// alternating user/assistant turns that start with a user turn.
// Thread-safety: free functions.
#pragma once

#include <string>
#include <vector>

#include "processor/llm/llm_client.h"

namespace aw::processor::providers {

struct ChatTurns {
  std::string system;                // the system messages' contents joined with a blank line; empty when none
  std::vector<LlmMessage> messages;  // roles "user" and "assistant" only, alternating, first one "user"
};

// System messages go to `system`; consecutive messages of one role are merged (contents joined with a blank
// line); assistant messages before the first user message are dropped. A role other than system and assistant is
// read as user.
ChatTurns to_chat_turns(const std::vector<LlmMessage>& messages);

}  // namespace aw::processor::providers
