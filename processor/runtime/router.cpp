// The routing decision algorithm (see router.h).
#include "processor/runtime/router.h"

#include <algorithm>

#include "processor/runtime/mentions.h"
#include "processor/runtime/text_util.h"

namespace aw::processor {
namespace {

std::vector<std::string_view> agent_ids(const std::vector<RoutingAgentView>& agents) {
  std::vector<std::string_view> ids;
  ids.reserve(agents.size());
  for (const RoutingAgentView& a : agents) ids.push_back(a.id);
  return ids;
}

}  // namespace

SenderKind classify_sender(std::string_view sender, const std::vector<RoutingAgentView>& agents) {
  return aw::routing::classify_sender(sender, agent_ids(agents));
}

std::string turn_limit_notice_text(std::int64_t turn_limit) {
  return "@human Turn limit reached (" + std::to_string(turn_limit) +
         " LLM calls). Please take control of the conversation.";
}

bool is_turn_limit_notice(std::string_view sender, std::string_view content,
                          const std::vector<RoutingAgentView>& agents) {
  return aw::routing::is_turn_limit_notice(sender, content, agent_ids(agents));
}

RoutingPlan plan_routing(std::string_view sender, std::string_view content, const std::vector<RoutingAgentView>& agents,
                         std::int64_t turn_limit) {
  RoutingPlan plan;
  plan.decisions.assign(agents.size(), AgentDecision::Skip);
  if (is_turn_limit_notice(sender, content, agents)) return plan;

  const SenderKind kind = classify_sender(sender, agents);
  plan.reset_counters = kind == SenderKind::Human || kind == SenderKind::World;
  if (kind == SenderKind::System) return plan;

  // Own-message check on the same normalisation as the classification, so " A1" is a1's own message too.
  const std::string own = aw::routing::normalize_sender(sender);
  const std::vector<std::string> leading = paragraph_beginning_mentions(content);
  const bool any_mention = !leading.empty() || has_any_mention(content);

  for (std::size_t i = 0; i < agents.size(); ++i) {
    const RoutingAgentView& agent = agents[i];
    if (own == agent.id) continue;
    const bool mentioned_at_start = std::find(leading.begin(), leading.end(), agent.id) != leading.end();
    bool addressed = false;
    switch (kind) {
      case SenderKind::World:
        addressed = true;  // world messages are broadcasts [compat]
        break;
      case SenderKind::Human:
        addressed = leading.empty() ? !any_mention : mentioned_at_start;
        break;
      case SenderKind::Agent:
        addressed = mentioned_at_start;
        break;
      case SenderKind::System:
        break;
    }
    if (!addressed) continue;
    const std::int64_t calls = plan.reset_counters ? 0 : agent.llm_call_count;
    if (calls + agent.scheduled_not_started >= turn_limit) {
      if (!agent.notice_published) plan.decisions[i] = AgentDecision::TurnLimitNotice;
      continue;
    }
    plan.decisions[i] = AgentDecision::Respond;
  }
  return plan;
}

}  // namespace aw::processor
