// Tests of the agent commands (gateway/core/agent_commands.cpp).
#include <boost/test/unit_test.hpp>

#include "tests/unit/gateway/core/core_fixture.h"

namespace aw::gateway::test {
namespace {

struct AgentFixture : CoreFixture {
  std::string chat = create_world("W");
  const std::optional<std::string> w = std::string("w");

  void add_memory(const std::string& agent, const std::string& chat_id, const std::string& message_id) {
    storage::MemoryRecord r;
    r.world_id = "w";
    r.agent_id = agent;
    r.chat_id = chat_id;
    r.role = "user";
    r.content = "hello";
    r.sender = "human";
    r.message_id = message_id;
    r.created_at = "2025-01-01T00:00:00.000Z";
    BOOST_REQUIRE(storage().memory().insert(r).value());
  }
};

BOOST_FIXTURE_TEST_SUITE(agent_commands, AgentFixture)

BOOST_AUTO_TEST_CASE(create_agent_applies_defaults_and_emits_create_agent) {
  auto r = ok("create-agent", R"({"name":"Agent Three"})", w);
  BOOST_TEST(r.message == "Agent 'Agent Three' created successfully");
  auto d = data(r);
  BOOST_TEST(str(d, "id") == "agent-three");
  BOOST_TEST(str(d, "name") == "Agent Three");
  BOOST_TEST(str(d, "type") == "default");
  BOOST_TEST(str(d, "status") == "inactive");
  BOOST_TEST(str(d, "provider") == "openai");
  BOOST_TEST(str(d, "model") == "gpt-4");
  BOOST_TEST(*json::get_int(d, "llmCallCount") == 0);
  BOOST_TEST(*json::get_int(d, "memorySize") == 0);
  BOOST_TEST(!has(d, "systemPrompt"));
  BOOST_TEST(!has(d, "temperature"));
  BOOST_TEST(!has(d, "maxTokens"));
  BOOST_TEST(!has(d, "lastLLMCall"));
  BOOST_TEST(!has(d, "memory"));
  BOOST_TEST(parse_iso8601_ms(str(d, "createdAt")).has_value());
  BOOST_TEST(parse_iso8601_ms(str(d, "lastActive")).has_value());
  BOOST_REQUIRE(r.broadcasts.size() == 1u);
  auto f = frame(r.broadcasts[0]);
  BOOST_TEST(*json::get_int(f, "seq") == 3);
  BOOST_TEST(str(f["payload"], "operation") == "create");
  BOOST_TEST(str(f["payload"], "entityType") == "agent");
  BOOST_TEST(str(f["payload"], "entityId") == "agent-three");
  BOOST_TEST(str(f["payload"], "chatId") == chat);
  BOOST_TEST(str(f["payload"]["entityData"], "model") == "gpt-4");
}

BOOST_AUTO_TEST_CASE(create_agent_with_explicit_id_and_settings) {
  auto d = data(ok("create-agent",
                   R"({"id":"Alice","name":"Alice","provider":"ollama","model":"llama3.2:3b","systemPrompt":"Be nice",)"
                   R"("temperature":0.7,"maxTokens":512,"type":"custom"})",
                   w));
  BOOST_TEST(str(d, "id") == "alice");
  BOOST_TEST(str(d, "provider") == "ollama");
  BOOST_TEST(str(d, "model") == "llama3.2:3b");
  BOOST_TEST(str(d, "systemPrompt") == "Be nice");
  BOOST_TEST(*json::get_number(d, "temperature") == 0.7);
  BOOST_TEST(*json::get_int(d, "maxTokens") == 512);
  BOOST_TEST(str(d, "type") == "custom");
  auto rec = *storage().agents().find("w", "alice").value();
  BOOST_TEST(rec.position == 1);
  BOOST_TEST(rec.rev == 1);
}

BOOST_AUTO_TEST_CASE(agent_rev_is_the_world_revision_plus_one) {
  create_agent("w", "a1");
  create_agent("w", "a2");
  BOOST_TEST(storage().agents().find("w", "a2").value()->rev == 2);
  BOOST_TEST(storage().agents().find("w", "a2").value()->position == 2);
  ok("update-agent", R"({"agentId":"a1","model":"m2"})", w);
  BOOST_TEST(storage().agents().find("w", "a1").value()->rev == 3);
  ok("clear-agent-memory", R"({"agentId":"a1"})", w);
  BOOST_TEST(storage().agents().find("w", "a1").value()->rev == 4);
  BOOST_TEST(storage().worlds().find("w").value()->last_rev == 4);
}

BOOST_AUTO_TEST_CASE(create_agent_errors) {
  expect_error(run("create-agent", R"({"name":"A"})", std::string("nope")), "world_not_found",
               "Command execution failed: World 'nope' not found");
  create_agent("w", "a1");
  expect_error(run("create-agent", R"({"name":"A1"})", w), "already_exists",
               "Command execution failed: Agent with ID 'a1' already exists");
  expect_error(run("create-agent", R"({"name":"X","provider":"bogus"})", w), "invalid_request",
               "Command execution failed: provider must be one of openai, anthropic, azure, google, xai, "
               "openai-compatible, ollama");
  expect_error(run("create-agent", R"({"name":"X","temperature":2.5})", w), "invalid_request",
               "Command execution failed: temperature must be a number between 0 and 2");
  expect_error(run("create-agent", R"({"name":"X","temperature":"hot"})", w), "invalid_request",
               "Command execution failed: temperature must be a number between 0 and 2");
  expect_error(run("create-agent", R"({"name":"X","maxTokens":0})", w), "invalid_request",
               "Command execution failed: maxTokens must be an integer >= 1");
  expect_error(run("create-agent", R"({"name":"X","maxTokens":1.5})", w), "invalid_request",
               "Command execution failed: maxTokens must be an integer >= 1");
  expect_error(run("create-agent", R"({"name":"X","model":""})", w), "invalid_request",
               "Command execution failed: model must be a non-empty string");
  expect_error(run("create-agent", R"({})", w), "invalid_request", "Command execution failed: name is required");
  expect_error(run("create-agent", R"({"name":"X","id":"%%%"})", w), "invalid_request",
               "Command execution failed: '%%%' does not produce a valid id (use at least one ASCII letter or digit)");
  BOOST_TEST(storage().agents().list("w").value().size() == 1u);
}

BOOST_AUTO_TEST_CASE(get_agent_returns_memory_or_null) {
  create_agent("w", "a1");
  for (int i = 0; i < 5; ++i) add_memory("a1", chat, "m" + std::to_string(i));
  auto r = ok("get-agent", R"({"agentId":"A1","memoryLimit":3})", w);  // ids are canonicalised
  BOOST_TEST(r.message == "Agent 'Agent a1' retrieved");
  auto d = data(r);
  BOOST_TEST(*json::get_int(d, "memorySize") == 5);
  BOOST_REQUIRE(d["memory"].IsArray());
  BOOST_REQUIRE(d["memory"].Size() == 3u);
  BOOST_TEST(str(d["memory"][0], "messageId") == "m2");  // the most recent 3, oldest first
  BOOST_TEST(str(d["memory"][2], "messageId") == "m4");
  BOOST_TEST(str(d["memory"][0], "role") == "user");
  BOOST_TEST(str(d["memory"][0], "agentId") == "a1");
  BOOST_TEST(str(d["memory"][0], "chatId") == chat);
  BOOST_TEST(str(d["memory"][0], "sender") == "human");
  BOOST_TEST(!has(d["memory"][0], "replyToMessageId"));
  BOOST_TEST(data(ok("get-agent", R"({"agentId":"a1"})", w))["memory"].Size() == 5u);

  auto missing = ok("get-agent", R"({"agentId":"zz"})", w);
  BOOST_TEST(missing.message == "Agent not found");
  BOOST_TEST(missing.data_json == "null");
  BOOST_TEST(ok("get-agent", R"({"agentId":"a1"})", std::string("nope")).data_json == "null");
  expect_error(run("get-agent", R"({})", w), "invalid_request", "Command execution failed: agentId is required");
  expect_error(run("get-agent", R"({"agentId":"a1","memoryLimit":0})", w), "invalid_request",
               "Command execution failed: memoryLimit must be an integer >= 1");
}

BOOST_AUTO_TEST_CASE(list_agents_in_creation_order) {
  create_agent("w", "zed");
  create_agent("w", "amy");
  auto r = ok("list-agents", "{}", w);
  BOOST_TEST(r.message == "Found 2 agent(s)");
  auto d = data(r);
  BOOST_REQUIRE(d.Size() == 2u);
  BOOST_TEST(str(d[0], "id") == "zed");
  BOOST_TEST(str(d[1], "id") == "amy");
  BOOST_TEST(json::get_int(d[0], "llmCallCount").has_value());
  auto none = ok("list-agents", "{}", std::string("nope"));
  BOOST_TEST(none.data_json == "[]");
  BOOST_TEST(none.message == "Found 0 agent(s)");
}

BOOST_AUTO_TEST_CASE(delete_agent_emits_delete_with_null_entity) {
  create_agent("w", "a1");
  add_memory("a1", chat, "m1");
  auto r = ok("delete-agent", R"({"agentId":"a1"})", w);
  BOOST_TEST(r.message == "Agent deleted");
  BOOST_TEST(r.data_json == "true");
  BOOST_REQUIRE(r.broadcasts.size() == 1u);
  auto f = frame(r.broadcasts[0]);
  BOOST_TEST(str(f["payload"], "operation") == "delete");
  BOOST_TEST(str(f["payload"], "entityType") == "agent");
  BOOST_TEST(str(f["payload"], "entityId") == "a1");
  BOOST_TEST(f["payload"]["entityData"].IsNull());
  BOOST_TEST(storage().memory().count("w", "a1").value() == 0);

  auto again = ok("delete-agent", R"({"agentId":"a1"})", w);
  BOOST_TEST(again.data_json == "false");
  BOOST_TEST(again.message == "Agent deleted");
  BOOST_TEST(again.broadcasts.empty());
  BOOST_TEST(ok("delete-agent", R"({"agentId":"a1"})", std::string("nope")).data_json == "false");
}

BOOST_AUTO_TEST_CASE(update_agent_changes_present_fields_and_clears_nulls) {
  ok("create-agent", R"({"id":"a1","name":"A1","systemPrompt":"p","temperature":1,"maxTokens":5})", w);
  auto r = ok("update-agent",
              R"({"agentId":"a1","name":"Renamed","status":"active","provider":"anthropic","model":"claude",)"
              R"("systemPrompt":null,"temperature":null,"maxTokens":100})",
              w);
  BOOST_TEST(r.message == "Agent 'Renamed' updated");
  auto d = data(r);
  BOOST_TEST(str(d, "id") == "a1");
  BOOST_TEST(str(d, "name") == "Renamed");
  BOOST_TEST(str(d, "status") == "active");
  BOOST_TEST(str(d, "provider") == "anthropic");
  BOOST_TEST(str(d, "model") == "claude");
  BOOST_TEST(!has(d, "systemPrompt"));
  BOOST_TEST(!has(d, "temperature"));
  BOOST_TEST(*json::get_int(d, "maxTokens") == 100);
  BOOST_REQUIRE(r.broadcasts.size() == 1u);
  BOOST_TEST(str(frame(r.broadcasts[0])["payload"], "operation") == "update");
  BOOST_TEST(str(frame(r.broadcasts[0])["payload"]["entityData"], "name") == "Renamed");
}

BOOST_AUTO_TEST_CASE(update_agent_errors) {
  create_agent("w", "a1");
  expect_error(run("update-agent", R"({"agentId":"zz","name":"x"})", w), "agent_not_found", "Agent 'zz' not found");
  expect_error(run("update-agent", R"({"agentId":"a1"})", std::string("nope")), "world_not_found",
               "World 'nope' not found");
  expect_error(run("update-agent", R"({"agentId":"a1","status":"sleeping"})", w), "invalid_request",
               "Command execution failed: status must be one of active, inactive, error");
  expect_error(run("update-agent", R"({"agentId":"a1","provider":null})", w), "invalid_request",
               "Command execution failed: provider must be one of openai, anthropic, azure, google, xai, "
               "openai-compatible, ollama");
  expect_error(run("update-agent", R"({"agentId":"a1","temperature":-0.1})", w), "invalid_request",
               "Command execution failed: temperature must be a number between 0 and 2");
}

BOOST_AUTO_TEST_CASE(clear_agent_memory_by_chat_or_all_and_resets_counter) {
  create_agent("w", "a1");
  const std::string chat2 = str(data(ok("new-chat", "{}", w)), "currentChatId");
  BOOST_TEST(chat2 == chat);  // the empty "New Chat" is reused
  add_message("w", chat, "h1", 1);
  const std::string other = str(data(ok("new-chat", "{}", w)), "currentChatId");
  add_memory("a1", chat, "m1");
  add_memory("a1", chat, "m2");
  add_memory("a1", other, "m3");
  auto rec = *storage().agents().find("w", "a1").value();
  rec.llm_call_count = 4;
  BOOST_REQUIRE(storage().agents().upsert(rec).is_ok());

  auto r = ok("clear-agent-memory", "{\"agentId\":\"a1\",\"chatId\":\"" + chat + "\"}", w);
  BOOST_TEST(r.message == "Cleared 2 memory row(s) for agent 'Agent a1'");
  auto d = data(r);
  BOOST_TEST(str(d, "agentId") == "a1");
  BOOST_TEST(str(d, "chatId") == chat);
  BOOST_TEST(*json::get_int(d, "removed") == 2);
  BOOST_TEST(storage().agents().find("w", "a1").value()->llm_call_count == 0);
  BOOST_REQUIRE(r.broadcasts.size() == 1u);
  BOOST_TEST(str(frame(r.broadcasts[0])["payload"], "operation") == "update");

  auto all = ok("clear-agent-memory", R"({"agentId":"a1"})", w);
  BOOST_TEST(!has(data(all), "chatId"));
  BOOST_TEST(*json::get_int(data(all), "removed") == 1);
  expect_error(run("clear-agent-memory", R"({"agentId":"a1","chatId":"nope"})", w), "chat_not_found",
               "Chat 'nope' not found");
  expect_error(run("clear-agent-memory", R"({"agentId":"zz"})", w), "agent_not_found", "Agent 'zz' not found");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::test
