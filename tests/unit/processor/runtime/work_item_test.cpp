// Parsing and validation of work items (bus-protocol.md §4.1): a bad item is a Status naming the field.
#include "processor/runtime/work_item.h"

#include <fstream>
#include <functional>
#include <sstream>

#include <boost/test/unit_test.hpp>

using namespace aw;
using namespace aw::processor;

namespace {

const char* kValidItem = R"({
  "v":1,"kind":"work","dispatchId":"d1","worldId":"w","runId":"m1","attempt":2,"chatId":"c1","activityId":9,
  "heartbeatMs":5000,"leaseMs":15000,"deadlineMs":600000,"historyWindow":10,
  "trigger":{"messageId":"m1","content":"hi","sender":"human","createdAt":"2025-11-02T12:00:00.000Z"},
  "world":{"id":"w","name":"W","turnLimit":3,"chatLLMProvider":"openai","chatLLMModel":null},
  "chat":{"id":"c1","name":"New Chat"},
  "agents":[
    {"id":"a1","name":"A1","type":"default","provider":"openai","model":"m","systemPrompt":"sp","temperature":0.5,
     "maxTokens":100,"llmCallCount":2,"lastLLMCall":"2025-11-02T11:00:00.000Z","lastActive":"2025-11-02T11:00:00.000Z",
     "rev":4},
    {"id":"a2","name":"A2","type":"default","provider":"ollama","model":"m2","llmCallCount":0,
     "lastActive":"2025-11-02T11:00:00.000Z","rev":5}],
  "history":{"a1":[{"role":"user","content":"old","sender":"human","messageId":"h1","chatId":"c1","agentId":"a1",
                    "createdAt":"2025-11-02T10:00:00.000Z"},
                   {"role":"assistant","content":"reply","sender":"a1","messageId":"x1","replyToMessageId":"h1"}],
             "gone":[{"role":"user","content":"x","sender":"human","messageId":"h9"}]}
})";

// The valid item with one change applied.
std::string with(const std::function<void(json::Document&)>& change) {
  auto doc = json::parse_trusted(kValidItem);
  BOOST_REQUIRE(doc.is_ok());
  change(doc.value());
  return json::to_string(doc.value()).value();
}

void expect_rejected(const std::string& text, const std::string& fragment) {
  auto item = parse_work_item(text);
  BOOST_REQUIRE_MESSAGE(!item.is_ok(), "accepted, expected an error about " + fragment);
  BOOST_TEST(item.status().code() == "invalid_request");
  BOOST_TEST(item.status().message().find(fragment) != std::string::npos, item.status().message());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(work_item)

BOOST_AUTO_TEST_CASE(a_complete_item_parses_into_typed_fields) {
  auto parsed = parse_work_item(kValidItem);
  BOOST_REQUIRE_MESSAGE(parsed.is_ok(), parsed.status().message());
  const WorkItem& item = parsed.value();
  BOOST_TEST(item.dispatch_id == "d1");
  BOOST_TEST(item.world_id == "w");
  BOOST_TEST(item.attempt == 2);
  BOOST_TEST(item.activity_id == 9);
  BOOST_TEST(item.deadline_ms == 600000);
  BOOST_TEST(*item.lease_ms == 15000);
  BOOST_TEST(item.trigger.content == "hi");
  BOOST_TEST(item.world.turn_limit == 3);
  BOOST_TEST(*item.world.chat_llm_provider == "openai");
  BOOST_TEST(!item.world.chat_llm_model.has_value());
  BOOST_REQUIRE(item.agents.size() == 2u);
  BOOST_TEST(item.agents[0].id == "a1");
  BOOST_TEST(*item.agents[0].temperature == 0.5);
  BOOST_TEST(*item.agents[0].max_tokens == 100);
  BOOST_TEST(item.agents[0].llm_call_count == 2);
  BOOST_TEST(item.agents[0].rev == 4);
  BOOST_TEST(!item.agents[1].system_prompt.has_value());
  BOOST_TEST(!item.agents[1].last_llm_call.has_value());
  BOOST_REQUIRE(item.history.count("a1") == 1u);
  BOOST_TEST(item.history.at("a1").size() == 2u);
  BOOST_TEST(*item.history.at("a1")[1].reply_to_message_id == "h1");
  BOOST_TEST(item.history.count("gone") == 0u);  // not an agent of the item
}

BOOST_AUTO_TEST_CASE(bus_only_fields_and_history_are_optional) {
  auto parsed = parse_work_item(with([](json::Document& d) {
    d.RemoveMember("dispatchId");
    d.RemoveMember("heartbeatMs");
    d.RemoveMember("leaseMs");
    d.RemoveMember("history");
  }));
  BOOST_REQUIRE_MESSAGE(parsed.is_ok(), parsed.status().message());
  BOOST_TEST(parsed->dispatch_id.empty());
  BOOST_TEST(parsed->history.empty());
}

BOOST_AUTO_TEST_CASE(a_history_row_without_sender_and_unnamed_entities_are_accepted) {
  auto parsed = parse_work_item(with([](json::Document& d) {
    d["history"]["a1"][0]["sender"].SetNull();
    d["world"]["name"].SetString("");
    d["agents"][1]["name"].SetString("");
  }));
  BOOST_REQUIRE_MESSAGE(parsed.is_ok(), parsed.status().message());
  BOOST_TEST(parsed->history.at("a1")[0].sender == "");
}

BOOST_AUTO_TEST_CASE(an_absent_null_or_zero_turn_limit_means_five) {
  auto absent = parse_work_item(with([](json::Document& d) { d["world"].RemoveMember("turnLimit"); }));
  auto zero = parse_work_item(with([](json::Document& d) { d["world"]["turnLimit"].SetInt(0); }));
  auto null = parse_work_item(with([](json::Document& d) { d["world"]["turnLimit"].SetNull(); }));
  BOOST_REQUIRE(absent.is_ok());
  BOOST_REQUIRE(zero.is_ok());
  BOOST_REQUIRE(null.is_ok());
  BOOST_TEST(absent->world.turn_limit == 5);
  BOOST_TEST(zero->world.turn_limit == 5);
  BOOST_TEST(null->world.turn_limit == 5);
  expect_rejected(with([](json::Document& d) { d["world"]["turnLimit"].SetInt(-1); }), "world.turnLimit");
}

BOOST_AUTO_TEST_CASE(missing_or_mistyped_fields_are_named) {
  expect_rejected(with([](json::Document& d) { d.RemoveMember("worldId"); }), "worldId");
  expect_rejected(with([](json::Document& d) { d["attempt"].SetInt(0); }), "attempt");
  expect_rejected(with([](json::Document& d) { d["deadlineMs"].SetString("soon"); }), "deadlineMs");
  expect_rejected(with([](json::Document& d) { d.RemoveMember("trigger"); }), "trigger");
  expect_rejected(with([](json::Document& d) { d["trigger"]["content"].SetInt(3); }), "trigger.content");
  expect_rejected(with([](json::Document& d) { d["agents"][1]["model"].SetString(""); }), "agents[1].model");
  expect_rejected(with([](json::Document& d) { d["agents"][0]["temperature"].SetDouble(2.5); }),
                  "agents[0].temperature");
  expect_rejected(with([](json::Document& d) { d["agents"][0]["llmCallCount"].SetInt(-2); }), "agents[0].llmCallCount");
  expect_rejected(with([](json::Document& d) { d["agents"].SetObject(); }), "agents must be an array");
  expect_rejected(with([](json::Document& d) { d["history"]["a1"][0].RemoveMember("messageId"); }),
                  "history.a1[0].messageId");
}

BOOST_AUTO_TEST_CASE(inconsistent_ids_are_rejected) {
  expect_rejected(with([](json::Document& d) { d["runId"].SetString("other"); }), "runId");
  expect_rejected(with([](json::Document& d) { d["world"]["id"].SetString("x"); }), "world.id");
  expect_rejected(with([](json::Document& d) { d["chat"]["id"].SetString("x"); }), "chat.id");
  expect_rejected(with([](json::Document& d) { d["agents"][1]["id"].SetString("a1"); }), "repeats agent 'a1'");
}

BOOST_AUTO_TEST_CASE(broken_json_is_an_error_not_a_crash) {
  expect_rejected("", "work item:");
  expect_rejected("{\"worldId\":", "work item:");
  expect_rejected("[1,2,3]", "JSON object");
  expect_rejected(std::string(200, '[') + std::string(200, ']'), "nested deeper");
  expect_rejected("{\"worldId\":\"\xff\xfe\"}", "work item:");
}

BOOST_AUTO_TEST_CASE(the_example_file_of_the_docs_is_a_valid_item) {
  // processor/examples/two_agents_run.json, found from this file's path (CMake compiles with absolute paths).
  std::string path = __FILE__;
  path = path.substr(0, path.rfind("tests/unit/processor/runtime/")) + "processor/examples/two_agents_run.json";
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in.good(), "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = parse_work_item(text.str());
  BOOST_REQUIRE_MESSAGE(parsed.is_ok(), parsed.status().message());
  BOOST_TEST(parsed->agents.size() == 2u);
  BOOST_TEST(parsed->history.at("bob").size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
