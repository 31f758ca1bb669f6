// Rule selection (see rule_engine.h).
#include "tools/aw-fake-llm/rule_engine.h"

#include <utility>

namespace aw::fake_llm {

bool rule_matches(const RuleMatch& match, const RequestFacts& facts) {
  if (match.contains && facts.last_user_text.find(*match.contains) == std::string_view::npos) return false;
  if (match.equals && facts.last_user_text != *match.equals) return false;
  if (match.model && facts.model != *match.model) return false;
  if (match.provider_path && facts.path.find(*match.provider_path) == std::string_view::npos) return false;
  if (match.regex && !std::regex_search(facts.last_user_text.begin(), facts.last_user_text.end(), *match.regex)) {
    return false;
  }
  return true;
}

RuleEngine::RuleEngine(Script script) { replace(std::move(script)); }

void RuleEngine::replace(Script script) {
  script_ = std::move(script);
  uses_.assign(script_.rules.size(), 0);
}

void RuleEngine::reset_counters() { uses_.assign(script_.rules.size(), 0); }

std::optional<std::size_t> RuleEngine::select(const RequestFacts& facts) {
  for (std::size_t i = 0; i < script_.rules.size(); ++i) {
    const Rule& rule = script_.rules[i];
    if (rule.times && uses_[i] >= *rule.times) continue;
    if (!rule_matches(rule.match, facts)) continue;
    ++uses_[i];
    return i;
  }
  return std::nullopt;
}

}  // namespace aw::fake_llm
