// RuleEngine: the script in force and how often each rule has been used. select() finds the first rule that
// matches a request and still has uses left (a rule with `times: N` applies N times, then later rules see the
// request), so failure sequences such as "503 twice, then a reply" are two rules. POST /script replaces the rules
// and POST /reset zeroes the counters.
// Thread-safety: loop thread only (the server has one thread; no locks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/aw-fake-llm/script.h"

namespace aw::fake_llm {

// What rules are matched against.
struct RequestFacts {
  std::string_view last_user_text;
  std::string_view model;
  std::string_view path;
};

class RuleEngine {
 public:
  explicit RuleEngine(Script script = Script());

  // Installs new rules; every counter starts at zero.
  void replace(Script script);
  void reset_counters();

  // The index of the first rule that matches `facts` and has uses left, counting this use; nullopt when none.
  std::optional<std::size_t> select(const RequestFacts& facts);

  // Requires: index < rule_count(). The reference is valid until replace().
  const Rule& rule(std::size_t index) const { return script_.rules[index]; }
  std::size_t rule_count() const { return script_.rules.size(); }
  const std::optional<std::string>& default_reply() const { return script_.default_reply; }

 private:
  Script script_;
  std::vector<std::int64_t> uses_;  // per rule, since the last replace() or reset_counters()
};

// True when every condition of `match` holds for `facts`.
bool rule_matches(const RuleMatch& match, const RequestFacts& facts);

}  // namespace aw::fake_llm
