// Reply post-processing, memory and prompts through a whole run (agent-runtime.md §5, §6, §11; §15 cases 18-26).
#include "processor/runtime/agent_run.h"

#include <boost/test/unit_test.hpp>

#include "tests/unit/processor/runtime/run_assertions.h"
#include "tests/unit/processor/runtime/run_fixture.h"

using namespace aw::processor;
using namespace aw::processor::testing;
using Lines = std::vector<std::string>;

namespace {

std::string render(const std::vector<LlmMessage>& prompt) {
  std::string out;
  for (const auto& m : prompt) out += m.role + "[" + m.content + "] ";
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(agent_run_replies, RunFixture)

BOOST_AUTO_TEST_CASE(case18_to_21_published_text_is_post_processed) {
  struct Case {
    std::string raw;
    std::string published;
  };
  for (const Case& c :
       {Case{"Sure.", "@a1 Sure."}, Case{"@a3 over to you", "@a3 over to you"}, Case{"@a2, @a2 I will", "@a1 I will"},
        Case{"<world>STOP</world> done", "done"}, Case{"<world>TO: x, y</world> hi", "@x\n@y\n\nhi"},
        Case{"<world>TO:</world> x", "@a1 x"}, Case{"@e <world>PASS</world>\n@f text", "text"}}) {
    RunFixture f;
    f.replies("a2", {c.raw});
    f.replies("a1", {"<world>STOP</world> ok"});  // when a reply addresses a1, its answer ends the chain
    f.trigger("a1", "@a2 please");
    f.run();
    BOOST_TEST(responded_once(f, "a2") == c.published, c.raw);
    // Chunks carry the raw text; only the message is post-processed.
    std::string streamed;
    for (const auto& e : f.of_type(EventType::Sse, "chunk")) {
      if (e.str("agentName") == "a2") streamed += e.str("content");
    }
    BOOST_TEST(streamed == c.raw);
  }
}

BOOST_AUTO_TEST_CASE(case21_a_done_reply_reaches_nobody) {
  replies("a1", {"@a2 over to you"});
  replies("a2", {"@a1 <world>DONE</world> finished"});
  trigger("human", "@a1 start");
  run();
  BOOST_TEST(responders(*this) == (Lines{"a1", "a2"}));
  BOOST_TEST(of_type(EventType::Message).back().str("content") == "finished");
  expect_single_idle_then_commit(*this);
}

BOOST_AUTO_TEST_CASE(case19_and_21_replies_to_humans_are_not_prefixed) {
  replies("a2", {"Thanks <world>STOP</world>"});
  trigger("human", "@a2 hi");
  run();
  BOOST_TEST(responded_once(*this, "a2") == "Thanks");
}

BOOST_AUTO_TEST_CASE(case22_a_blank_reply_publishes_no_message_and_no_row) {
  replies("a1", {"@a1 @a1"});
  trigger("human", "@a1 hi");
  run();
  BOOST_TEST(trace() ==
             (Lines{"world response-start p=1 agent:a1", "sse start a1", "sse end a1", "world idle p=0 agent:a1"}));
  BOOST_REQUIRE(commit->memory.size() == 1u);  // the incoming row only
  BOOST_TEST(commit->memory[0].role == "user");
  BOOST_TEST(counters(*this, "a1")->llm_call_count == 1);
}

BOOST_AUTO_TEST_CASE(case23_memory_holds_the_incoming_and_the_own_row) {
  replies("a1", {"Hello human"});
  trigger("human", "@a1 hi");
  run();
  const std::string x = of_type(EventType::Sse, "start").at(0).str("messageId");
  BOOST_REQUIRE(commit->memory.size() == 2u);
  const MemoryRow& in = commit->memory[0];
  const MemoryRow& own = commit->memory[1];
  BOOST_TEST((in.agent_id == "a1" && in.role == "user" && in.sender == "human"));
  BOOST_TEST((in.message_id == "trigger-1" && in.chat_id == "chat-1"));
  BOOST_TEST((own.agent_id == "a1" && own.role == "assistant" && own.sender == "a1"));
  BOOST_TEST((own.message_id == x && own.chat_id == "chat-1" && own.content == "Hello human"));
  BOOST_TEST(*own.reply_to_message_id == "trigger-1");
  for (const auto& row : commit->memory) BOOST_TEST(row.agent_id != "a2");  // silent a2 stored nothing
  BOOST_REQUIRE(commit->messages.size() == 1u);
  BOOST_TEST(commit->messages[0].message_id == x);
  BOOST_TEST(commit->messages[0].content == "Hello human");
}

BOOST_AUTO_TEST_CASE(case24_everything_uses_the_run_chat) {
  item.chat_id = "chat-2";
  item.chat = {"chat-2", "Other"};
  replies("a1", {"one"});
  replies("a2", {"two"});
  run();
  expect_indexed_in_run_chat(*this);
  for (const auto& e : of_type(EventType::Message)) BOOST_TEST(e.str("chatId") == "chat-2");
  for (const auto& row : commit->memory) BOOST_TEST(row.chat_id == "chat-2");
}

BOOST_AUTO_TEST_CASE(case25_a_first_message_gives_exactly_system_and_user) {
  replies("a1", {"hello"});
  replies("a2", {"hello too"});
  trigger("human", "hi");
  run();
  BOOST_REQUIRE(llm.requests().size() == 2u);
  BOOST_TEST(render(llm.requests().at(0).messages) == "system[You are Agent A1.] user[hi] ");
  // a1's reply mentions nobody, so a2 does not see it.
  BOOST_TEST(render(llm.requests().at(1).messages) == "system[You are Agent A2.] user[hi] ");
  const LlmRequest r = llm.requests().at(0);
  BOOST_TEST(r.provider == "openai-compatible");
  BOOST_TEST(r.model == "model-a1");
  BOOST_TEST(r.stream);
  BOOST_TEST(r.timeout.count() == 120000);
}

BOOST_AUTO_TEST_CASE(case26_chain_prompts_quote_other_agents_as_users) {
  replies("a1", {"@a2 ping", "<world>STOP</world> done"});
  replies("a2", {"@a1 pong"});
  trigger("human", "@a1 start");
  run();
  const auto a1 = llm.requests_for("model-a1");
  const auto a2 = llm.requests_for("model-a2");
  BOOST_REQUIRE(a1.size() == 2u);
  BOOST_REQUIRE(a2.size() == 1u);
  BOOST_TEST(render(a2[0].messages) == "system[You are Agent A2.] user[a1: @a2 ping] ");
  BOOST_TEST(render(a1[1].messages) ==
             "system[You are Agent A1.] user[@a1 start] assistant[@a2 ping] user[a2: @a1 pong] ");
}

BOOST_AUTO_TEST_CASE(stored_history_comes_before_the_attempts_rows) {
  MemoryRow old;
  old.agent_id = "a1";
  old.chat_id = "chat-1";
  old.role = "assistant";
  old.content = "earlier answer";
  old.sender = "a1";
  old.message_id = "old-1";
  item.history["a1"] = {old};
  item.agents.pop_back();  // a1 alone
  replies("a1", {"ok"});
  item.history_window = 1;
  trigger("human", "next");
  run();
  BOOST_TEST(render(llm.requests().at(0).messages) ==
             "system[You are Agent A1.] assistant[earlier answer] user[next] ");
}

BOOST_AUTO_TEST_CASE(agent_settings_reach_the_request) {
  agent("a1").temperature = 0.3;
  agent("a1").max_tokens = 64;
  replies("a1", {"ok"});
  trigger("human", "@a1 go");
  RunOptions options;
  options.llm_timeout = std::chrono::milliseconds(4321);
  run(options);
  const LlmRequest r = llm.requests().at(0);
  BOOST_TEST(*r.temperature == 0.3);
  BOOST_TEST(*r.max_tokens == 64);
  BOOST_TEST(r.timeout.count() == 4321);
}

BOOST_AUTO_TEST_SUITE_END()
