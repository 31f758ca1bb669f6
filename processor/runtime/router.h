// Message routing (agent-runtime.md §3): who answers a message. Pure decisions over a view of the run's agents;
// the run applies them (resets counters, publishes notices, schedules responses) in agent order.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/history_visibility.h"

namespace aw::processor {

// One classification for gateway and processor (common/history_visibility.h).
using aw::routing::SenderKind;

// What routing needs to know about one agent, in creation order.
struct RoutingAgentView {
  std::string_view id;
  std::int64_t llm_call_count = 0;
  std::int64_t scheduled_not_started = 0;  // A's responses scheduled in this run but not yet started
  bool notice_published = false;           // A already published a turn-limit notice in this run
};

// §3.1 on lowercase(trim(sender)): `system`, `world`, an agent id, anything else HUMAN.
SenderKind classify_sender(std::string_view sender, const std::vector<RoutingAgentView>& agents);

// `@human Turn limit reached (<turnLimit> LLM calls). Please take control of the conversation.`
std::string turn_limit_notice_text(std::int64_t turn_limit);

// §3.3 step 1: sender is an agent of the world and the content starts with `@human Turn limit reached`.
bool is_turn_limit_notice(std::string_view sender, std::string_view content,
                          const std::vector<RoutingAgentView>& agents);

enum class AgentDecision {
  Skip,             // own message, not addressed, or the limit is reached and a notice was already published
  Respond,          // schedule a response of the agent to the message
  TurnLimitNotice,  // publish the agent's turn-limit notice, do not respond
};

struct RoutingPlan {
  bool reset_counters = false;           // HUMAN or WORLD sender: every agent's llmCallCount becomes 0 first
  std::vector<AgentDecision> decisions;  // one per agent, same order as the input
};

// The decision algorithm of §3.3 for a message in the run chat. With reset_counters the turn-limit test uses the
// reset counter (0). Requires: turn_limit >= 1.
RoutingPlan plan_routing(std::string_view sender, std::string_view content, const std::vector<RoutingAgentView>& agents,
                         std::int64_t turn_limit);

}  // namespace aw::processor
