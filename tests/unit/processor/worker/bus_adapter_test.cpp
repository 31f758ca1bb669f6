// The edge between the bus model and the runtime model (processor/worker/bus_adapter.h): a work body decoded by
// the codec becomes the WorkItem the runtime parser would build, and a run's commit/event/title result encode to
// bodies the codec decodes back to the same values.
#include "processor/worker/bus_adapter.h"

#include <boost/test/unit_test.hpp>

#include "common/bus/bus_codec.h"
#include "processor/runtime/work_item.h"

using namespace aw::processor;
using namespace aw::processor::worker;
namespace bus = aw::bus;

namespace {

constexpr const char* kWorkBody = R"({"v":1,"kind":"work","dispatchId":"d1","worldId":"w","runId":"t1","attempt":2,
"chatId":"c1","activityId":3,"heartbeatMs":5000,"leaseMs":15000,"deadlineMs":60000,"historyWindow":10,
"trigger":{"messageId":"t1","content":"Hi","sender":"human","createdAt":"2025-11-02T12:00:00.000Z"},
"world":{"id":"w","name":"W","turnLimit":0,"chatLLMProvider":"openai"},"chat":{"id":"c1","name":"New Chat"},
"agents":[{"id":"a1","name":"A1","type":"default","provider":"openai","model":"m","systemPrompt":"S","temperature":0.5,
"maxTokens":100,"llmCallCount":4,"lastLLMCall":"2025-11-02T11:00:00.000Z","lastActive":"2025-11-02T11:00:00.000Z",
"rev":9}],
"history":{"a1":[{"agentId":"a1","chatId":"c1","role":"user","content":"old","sender":"human","messageId":"m0",
"createdAt":"2025-11-02T10:00:00.000Z"}],"ghost":[]}})";

}  // namespace

BOOST_AUTO_TEST_SUITE(bus_adapter)

BOOST_AUTO_TEST_CASE(work_from_the_codec_equals_the_runtime_parse) {
  auto decoded = bus::decode("work", kWorkBody);
  BOOST_REQUIRE_MESSAGE(decoded.is_ok(), (decoded.is_ok() ? std::string() : decoded.status().message()));
  const WorkItem item = work_item_from_bus(std::get<bus::Work>(decoded.value()));
  auto parsed = parse_work_item(kWorkBody);
  BOOST_REQUIRE(parsed.is_ok());
  const WorkItem& expected = parsed.value();
  BOOST_TEST(item.dispatch_id == expected.dispatch_id);
  BOOST_TEST(item.attempt == 2);
  BOOST_TEST(item.world.turn_limit == expected.world.turn_limit);  // 0 -> the default
  BOOST_TEST(item.world.turn_limit == kDefaultTurnLimit);
  BOOST_TEST(*item.world.chat_llm_provider == "openai");
  BOOST_TEST(item.deadline_ms == 60000);
  BOOST_TEST(*item.lease_ms == 15000);
  BOOST_REQUIRE(item.agents.size() == 1u);
  BOOST_TEST(item.agents[0].rev == 9);
  BOOST_TEST(*item.agents[0].temperature == 0.5);
  BOOST_TEST(*item.agents[0].max_tokens == 100);
  BOOST_TEST(*item.agents[0].last_active == *expected.agents[0].last_active);
  BOOST_TEST(item.history.size() == expected.history.size());  // "ghost" is not an agent: dropped by both
  BOOST_REQUIRE(item.history.count("a1") == 1u);
  BOOST_TEST(item.history.at("a1")[0].sender == "human");
  BOOST_TEST(item.history.at("a1")[0].content == expected.history.at("a1")[0].content);
}

BOOST_AUTO_TEST_CASE(commit_round_trips_through_the_codec) {
  Commit c;
  c.world_id = "w";
  c.run_id = "t1";
  c.attempt = 2;
  c.last_index = 6;
  c.outcome = CommitOutcome::RunTimeout;
  c.messages.push_back(ChatMessage{"Hello", "a1", "2025-11-02T12:00:01.000Z", "r1", "c1", std::string("t1")});
  c.memory.push_back(
      MemoryRow{"a1", "c1", "assistant", "Hello", "a1", "r1", std::string("t1"), "2025-11-02T12:00:01.000Z"});
  c.agents.push_back(AgentCounters{"a1", 9, 5, std::string("2025-11-02T12:00:00.500Z"), std::nullopt});
  const bus::Frame frame = bus::encode(commit_to_bus(c, "p-1"));
  BOOST_TEST(frame.topic == "commit.w");
  auto decoded = bus::decode(frame.topic, frame.body);
  BOOST_REQUIRE_MESSAGE(decoded.is_ok(), (decoded.is_ok() ? std::string() : decoded.status().message()));
  const auto& back = std::get<bus::Commit>(decoded.value());
  BOOST_TEST(back.processor_id == "p-1");
  BOOST_TEST(back.last_index == 6);
  BOOST_TEST((back.outcome == bus::CommitOutcome::RunTimeout));
  BOOST_REQUIRE(back.messages.size() == 1u);
  BOOST_TEST(back.messages[0].message_id == "r1");
  BOOST_TEST(*back.messages[0].reply_to_message_id == "t1");
  BOOST_REQUIRE(back.memory.size() == 1u);
  BOOST_TEST(*back.memory[0].sender == "a1");
  BOOST_REQUIRE(back.agents.size() == 1u);
  BOOST_TEST(back.agents[0].llm_call_count == 5);
  BOOST_TEST(!back.agents[0].last_active.has_value());
}

BOOST_AUTO_TEST_CASE(event_and_title_result_round_trip) {
  RuntimeEvent e;
  e.type = EventType::Sse;
  e.payload_json = R"({"type":"chunk","agentName":"a1","content":"he","messageId":"r1"})";
  e.chat_id = "c1";
  e.index = 3;
  const bus::Frame frame = bus::encode(event_to_bus(e, AttemptIdentity{"p-1", "w", "t1", 2}));
  auto decoded = bus::decode(frame.topic, frame.body);
  BOOST_REQUIRE(decoded.is_ok());
  const auto& ev = std::get<bus::Event>(decoded.value());
  BOOST_TEST(ev.index == 3);
  BOOST_TEST(ev.event_type == "sse");
  BOOST_TEST(*ev.payload_message_id == "r1");

  TitleJob job;
  job.dispatch_id = "d";
  job.world_id = "w";
  job.chat_id = "c1";
  const bus::Frame failed = bus::encode(title_result_to_bus(job, TitleResult{std::nullopt, ""}, "p-1"));
  auto back = bus::decode(failed.topic, failed.body);
  BOOST_REQUIRE(back.is_ok());
  const auto& tr = std::get<bus::TitleResult>(back.value());
  BOOST_TEST(!tr.title.has_value());
  BOOST_TEST(tr.error.has_value());  // null always comes with a reason
}

BOOST_AUTO_TEST_SUITE_END()
