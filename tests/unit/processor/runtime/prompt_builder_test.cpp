// Prompt building (agent-runtime.md §6).
#include "processor/runtime/prompt_builder.h"

#include <boost/test/unit_test.hpp>

#include "tests/unit/processor/runtime/run_fixture.h"

using namespace aw::processor;
using aw::processor::testing::make_agent;

namespace {

MemoryRow row(const std::string& agent, const std::string& role, const std::string& sender, const std::string& content,
              const std::string& id) {
  MemoryRow r;
  r.agent_id = agent;
  r.chat_id = "chat-1";
  r.role = role;
  r.sender = sender;
  r.content = content;
  r.message_id = id;
  return r;
}

std::string render(const std::vector<LlmMessage>& prompt) {
  std::string out;
  for (const auto& m : prompt) out += m.role + "[" + m.content + "] ";
  return out;
}

struct PromptFixture {
  AgentSnapshot a1 = make_agent("a1", "Agent A1");
  AgentSnapshot a2 = make_agent("a2", "Agent A2");
  std::vector<RoutingAgentView> views{{"a1", 0, 0, false}, {"a2", 0, 0, false}};
  std::vector<MemoryRow> stored;
  std::vector<MemoryRow> attempt;
  IncomingMessage m{"m", "hi", "human", std::nullopt};
  std::int64_t window = 10;

  std::string prompt_for(const AgentSnapshot& agent) {
    PromptInput input;
    input.agent = &agent;
    input.agents = &views;
    input.stored_history = &stored;
    input.attempt_rows = &attempt;
    input.message = &m;
    input.window = window;
    return render(build_prompt(input));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(prompt_builder, PromptFixture)

BOOST_AUTO_TEST_CASE(a_first_message_gives_system_and_user_only) {
  BOOST_TEST(prompt_for(a1) == "system[You are Agent A1.] user[hi] ");
}

BOOST_AUTO_TEST_CASE(a_blank_system_prompt_is_left_out) {
  a1.system_prompt = "  \n";
  BOOST_TEST(prompt_for(a1) == "user[hi] ");
  a1.system_prompt.reset();
  BOOST_TEST(prompt_for(a1) == "user[hi] ");
}

BOOST_AUTO_TEST_CASE(other_speakers_are_user_turns_prefixed_unless_human) {
  m = {"m", "@a1 pong", "a2", std::nullopt};
  stored = {row("a1", "user", "HUMAN", "@a1 start", "h1"), row("a1", "assistant", "a1", "@a2 ping", "x1"),
            row("a1", "user", "alice", "hello all", "h2")};
  BOOST_TEST(
      prompt_for(a1) ==
      "system[You are Agent A1.] user[@a1 start] assistant[@a2 ping] user[alice: hello all] user[a2: @a1 pong] ");
}

BOOST_AUTO_TEST_CASE(the_attempts_rows_are_filtered_by_visibility) {
  // The run so far: human `@a1 start`, a1 answered `@a2 ping` (stored for a1, and as a2's incoming row).
  attempt = {row("a1", "user", "human", "@a1 start", "t"), row("a1", "assistant", "a1", "@a2 ping", "x1"),
             row("a2", "user", "a1", "@a2 ping", "x1")};
  // a2 sees a1's words addressed to it, not the human's message to a1; M itself is never history.
  m = {"x1", "@a2 ping", "a1", std::nullopt};
  BOOST_TEST(prompt_for(a2) == "system[You are Agent A2.] user[a1: @a2 ping] ");
  // a2 answered `@a1 pong`, stored as a1's incoming row.
  attempt.push_back(row("a2", "assistant", "a2", "@a1 pong", "x2"));
  attempt.push_back(row("a1", "user", "a2", "@a1 pong", "x2"));
  m = {"x2", "@a1 pong", "a2", std::nullopt};
  BOOST_TEST(prompt_for(a1) == "system[You are Agent A1.] user[@a1 start] assistant[@a2 ping] user[a2: @a1 pong] ");
}

BOOST_AUTO_TEST_CASE(a_stored_row_without_sender_is_quoted_without_prefix) {
  stored = {row("a1", "user", "", "from somewhere", "h1")};
  BOOST_TEST(prompt_for(a1) == "system[You are Agent A1.] user[from somewhere] user[hi] ");
}

BOOST_AUTO_TEST_CASE(system_rows_notices_and_empty_rows_are_dropped) {
  attempt = {row("a1", "user", "system", "boot", "s1"), row("a2", "user", "a2", turn_limit_notice_text(5), "n1"),
             row("a1", "user", "human", "", "e1"), row("a1", "user", "world", "tick", "w1")};
  BOOST_TEST(prompt_for(a1) == "system[You are Agent A1.] user[world: tick] user[hi] ");
}

BOOST_AUTO_TEST_CASE(rows_are_deduplicated_across_stored_history_and_the_attempt) {
  stored = {row("a1", "user", "human", "old", "h1")};
  attempt = {row("a1", "user", "human", "old again", "h1"), row("a1", "user", "human", "new", "h2")};
  BOOST_TEST(prompt_for(a1) == "system[You are Agent A1.] user[old] user[new] user[hi] ");
}

BOOST_AUTO_TEST_CASE(the_window_keeps_the_last_rows) {
  for (int i = 0; i < 5; ++i)
    stored.push_back(row("a1", "user", "human", "s" + std::to_string(i), "s" + std::to_string(i)));
  attempt = {row("a1", "user", "human", "n", "n")};
  window = 2;
  BOOST_TEST(prompt_for(a1) == "system[You are Agent A1.] user[s4] user[n] user[hi] ");
  window = 0;
  BOOST_TEST(prompt_for(a1) == "system[You are Agent A1.] user[hi] ");
}

BOOST_AUTO_TEST_CASE(a_human_message_with_a_mid_text_mention_is_visible_to_nobody) {
  attempt = {row("a1", "user", "human", "ask @a1 later", "h1")};
  BOOST_TEST(!row_visible_to("a1", "human", "ask @a1 later", views));
  BOOST_TEST(prompt_for(a2) == "system[You are Agent A2.] user[hi] ");
}

BOOST_AUTO_TEST_SUITE_END()
