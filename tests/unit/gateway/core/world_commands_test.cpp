// Tests of the world commands (gateway/core/world_commands.cpp): results, crud frames, errors, tombstones.
#include <boost/test/unit_test.hpp>

#include "tests/unit/gateway/core/core_fixture.h"

namespace aw::gateway::test {
namespace {

BOOST_FIXTURE_TEST_SUITE(world_commands, CoreFixture)

BOOST_AUTO_TEST_CASE(create_world_returns_world_with_one_current_new_chat) {
  auto r =
      ok("create-world", R"({"name":"Test World","description":"A world","turnLimit":3,"chatLLMProvider":"ollama",)"
                         R"("chatLLMModel":"llama3.2:3b"})");
  BOOST_TEST(r.message == "World 'Test World' created successfully");
  auto d = data(r);
  BOOST_TEST(str(d, "id") == "test-world");
  BOOST_TEST(str(d, "name") == "Test World");
  BOOST_TEST(str(d, "description") == "A world");
  BOOST_TEST(*json::get_int(d, "turnLimit") == 3);
  BOOST_TEST(str(d, "chatLLMProvider") == "ollama");
  BOOST_TEST(str(d, "chatLLMModel") == "llama3.2:3b");
  BOOST_TEST(!has(d, "mcpConfig"));  // unset: left out, never null
  BOOST_TEST(parse_iso8601_ms(str(d, "createdAt")).has_value());
  BOOST_TEST(parse_iso8601_ms(str(d, "lastUpdated")).has_value());
  BOOST_TEST(*json::get_int(d, "totalAgents") == 0);
  BOOST_TEST(*json::get_int(d, "totalMessages") == 0);
  BOOST_TEST(*json::get_bool(d, "isProcessing") == false);
  BOOST_REQUIRE(d["agents"].IsArray());
  BOOST_TEST(d["agents"].Size() == 0u);
  BOOST_REQUIRE(d["chats"].IsArray());
  BOOST_REQUIRE(d["chats"].Size() == 1u);
  const auto& chat = d["chats"][0];
  BOOST_TEST(str(chat, "name") == "New Chat");
  BOOST_TEST(str(chat, "worldId") == "test-world");
  BOOST_TEST(*json::get_int(chat, "messageCount") == 0);
  BOOST_TEST(str(d, "currentChatId") == str(chat, "id"));
  BOOST_TEST(str(chat, "id").rfind("chat-", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(create_world_persists_crud_create_world_then_create_chat) {
  auto r = ok("create-world", R"({"name":"Test World"})");
  const std::string chat_id = str(data(r), "currentChatId");
  BOOST_REQUIRE(r.broadcasts.size() == 2u);
  auto world_frame = frame(r.broadcasts[0]);
  BOOST_TEST(str(world_frame, "type") == "crud");
  BOOST_TEST(str(world_frame, "worldId") == "test-world");
  BOOST_TEST(*json::get_int(world_frame, "seq") == 1);
  BOOST_TEST(json::get_int(world_frame, "timestamp").has_value());
  BOOST_TEST(!has(world_frame, "chatId"));
  BOOST_TEST(!has(world_frame, "eventType"));
  BOOST_TEST(!has(world_frame, "historical"));
  const auto& p = world_frame["payload"];
  BOOST_TEST(str(p, "operation") == "create");
  BOOST_TEST(str(p, "entityType") == "world");
  BOOST_TEST(str(p, "entityId") == "test-world");
  BOOST_TEST(str(p, "chatId") == chat_id);
  BOOST_TEST(parse_iso8601_ms(str(p, "timestamp")).has_value());
  BOOST_TEST(str(p["entityData"], "id") == "test-world");
  BOOST_TEST(!has(p["entityData"], "agents"));
  BOOST_TEST(!has(p["entityData"], "chats"));
  BOOST_TEST(r.broadcasts[0].seq == 1u);
  BOOST_TEST(!r.broadcasts[0].chat_id.has_value());

  auto chat_frame = frame(r.broadcasts[1]);
  BOOST_TEST(*json::get_int(chat_frame, "seq") == 2);
  BOOST_TEST(str(chat_frame["payload"], "operation") == "create");
  BOOST_TEST(str(chat_frame["payload"], "entityType") == "chat");
  BOOST_TEST(str(chat_frame["payload"], "entityId") == chat_id);
  BOOST_TEST(str(chat_frame["payload"]["entityData"], "name") == "New Chat");

  auto counts = core->persisted_event_counts();
  BOOST_REQUIRE(counts.size() == 1u);
  BOOST_TEST(counts[0].first == "crud");
  BOOST_TEST(counts[0].second == 2);
  BOOST_TEST(core->world_count() == 1);
}

BOOST_AUTO_TEST_CASE(create_world_validation_errors) {
  expect_error(run("create-world", R"({"name":"助手"})"), "invalid_request",
               "Command execution failed: '助手' does not produce a valid id (use at least one ASCII letter or digit)");
  expect_error(run("create-world", R"({"name":"!!!"})"), "invalid_request",
               "Command execution failed: '!!!' does not produce a valid id (use at least one ASCII letter or digit)");
  expect_error(run("create-world", R"({})"), "invalid_request", "Command execution failed: name is required");
  expect_error(run("create-world", R"({"name":5})"), "invalid_request",
               "Command execution failed: name must be a string");
  expect_error(run("create-world", R"({"name":"W","turnLimit":-1})"), "invalid_request",
               "Command execution failed: turnLimit must be an integer >= 1");
  expect_error(run("create-world", R"({"name":"W","turnLimit":2.5})"), "invalid_request",
               "Command execution failed: turnLimit must be an integer >= 1");
  expect_error(run("create-world", R"({"name":"W","turnLimit":"5"})"), "invalid_request",
               "Command execution failed: turnLimit must be an integer >= 1");
  expect_error(run("create-world", R"({"name":"W","mcpConfig":"[1]"})"), "invalid_request",
               "Command execution failed: mcpConfig must be a JSON object");
  expect_error(run("create-world", R"({"name":"W","mcpConfig":{"a":1}})"), "invalid_request",
               "Command execution failed: mcpConfig must be a JSON object");
  expect_error(run("create-world", "{\"name\":\"" + std::string(101, 'x') + "\"}"), "invalid_request",
               "Command execution failed: name must be 1 to 100 characters");
  expect_error(run("create-world", R"({"name":""})"), "invalid_request",
               "Command execution failed: '' does not produce a valid id (use at least one ASCII letter or digit)");
  BOOST_TEST(core->world_count() == 0);  // nothing created
  BOOST_TEST(core->persisted_event_counts().empty());
}

BOOST_AUTO_TEST_CASE(turn_limit_absent_null_or_zero_means_five) {
  BOOST_TEST(*json::get_int(data(ok("create-world", R"({"name":"a"})")), "turnLimit") == 5);
  BOOST_TEST(*json::get_int(data(ok("create-world", R"({"name":"b","turnLimit":null})")), "turnLimit") == 5);
  BOOST_TEST(*json::get_int(data(ok("create-world", R"({"name":"c","turnLimit":0})")), "turnLimit") == 5);
  BOOST_TEST(*json::get_int(data(ok("create-world", R"({"name":"d","turnLimit":7.0})")), "turnLimit") == 7);
}

BOOST_AUTO_TEST_CASE(duplicate_world_is_already_exists) {
  ok("create-world", R"({"name":"Test World"})");
  expect_error(run("create-world", R"({"name":"test   world"})"), "already_exists",
               "Command execution failed: World with name 'test   world' already exists");
}

BOOST_AUTO_TEST_CASE(create_world_outside_the_principal_scope_is_forbidden) {
  Principal scoped;
  scoped.role = "admin";
  scoped.worlds = {"allowed"};
  expect_error(run("create-world", R"({"name":"Other"})", std::nullopt, &scoped), "forbidden",
               "Access to world 'other' denied");
  BOOST_TEST(run("create-world", R"({"name":"Allowed"})", std::nullopt, &scoped).status.is_ok());
}

BOOST_AUTO_TEST_CASE(get_world_answers_null_for_missing) {
  auto none = ok("get-world", "{}");
  BOOST_TEST(none.message == "World not found");
  BOOST_TEST(none.data_json == "null");
  auto missing = ok("get-world", "{}", std::string("nope"));
  BOOST_TEST(missing.data_json == "null");
  create_world("My World");
  auto found = ok("get-world", "{}", std::string("my-world"));
  BOOST_TEST(found.message == "World 'My World' retrieved");
  auto d = data(found);
  BOOST_TEST(str(d, "id") == "my-world");
  BOOST_TEST(d["chats"].Size() == 1u);
  BOOST_TEST(found.broadcasts.empty());
}

BOOST_AUTO_TEST_CASE(delete_world_of_missing_world_answers_false) {
  auto r = ok("delete-world", "{}", std::string("nope"));
  BOOST_TEST(r.message == "World deleted");
  BOOST_TEST(r.data_json == "false");
  BOOST_TEST(r.broadcasts.empty());
  BOOST_TEST(r.deleted_worlds.empty());
  BOOST_TEST(ok("delete-world", "{}").data_json == "false");
}

BOOST_AUTO_TEST_CASE(delete_world_persists_crud_and_fails_active_items) {
  const std::string chat = create_world("Doomed");
  create_agent("doomed", "a1");
  BOOST_REQUIRE(enqueue("doomed", "m1", "hi", chat).status.is_ok());
  BOOST_REQUIRE(enqueue("doomed", "m2", "hi", std::string("not-a-chat")).status.is_ok());
  auto item = *storage().queue().find("doomed", "m2").value();
  item.state = "processing";
  item.attempt = 2;
  BOOST_REQUIRE(storage().queue().update(item).is_ok());

  auto r = ok("delete-world", "{}", std::string("doomed"));
  BOOST_TEST(r.data_json == "true");
  BOOST_REQUIRE(r.deleted_worlds.size() == 1u);
  BOOST_TEST(r.deleted_worlds[0] == "doomed");
  BOOST_REQUIRE(r.broadcasts.size() == 1u);
  auto f = frame(r.broadcasts[0]);
  BOOST_TEST(*json::get_int(f, "seq") == 4);  // create world, create chat, create agent, delete world
  BOOST_TEST(str(f["payload"], "operation") == "delete");
  BOOST_TEST(str(f["payload"], "entityType") == "world");
  BOOST_TEST(f["payload"]["entityData"].IsNull());
  BOOST_TEST(f["payload"]["chatId"].IsNull());

  BOOST_REQUIRE(r.statuses.size() == 2u);
  for (const auto& s : r.statuses) {
    auto st = parse(*s.json);
    BOOST_TEST(str(st, "type") == "status");
    BOOST_TEST(str(st, "worldId") == "doomed");
    BOOST_TEST(str(st, "chatId") == chat);  // m2's chat does not exist: the current chat
    BOOST_TEST(str(st["payload"], "status") == "failed");
    BOOST_TEST(str(st["payload"], "code") == "world_not_found");
    BOOST_TEST(str(st["payload"], "error") == "World 'doomed' not found");
    BOOST_TEST(*json::get_bool(st["payload"], "willRetry") == false);
  }
  auto m2 = parse(*r.statuses[1].json);
  BOOST_TEST(*r.statuses[1].message_id == "m2");
  BOOST_TEST(*json::get_int(m2["payload"], "attempt") == 2);
  BOOST_TEST(*json::get_bool(m2["payload"], "superseded") == true);
  BOOST_TEST(!has(parse(*r.statuses[0].json)["payload"], "superseded"));

  BOOST_TEST(core->world_count() == 0);
  BOOST_TEST(!storage().queue().find("doomed", "m1").value().has_value());
  BOOST_TEST(storage().events().range({"doomed", std::nullopt}, 0, 100, 100).value().empty());
  BOOST_TEST(storage().events().state("doomed").value()->last_seq == 4u);  // the tombstone stays
}

BOOST_AUTO_TEST_CASE(recreated_world_continues_seq_with_a_new_epoch) {
  create_world("Phoenix");
  auto before = core->subscribe(SubscribeRequest{"phoenix", std::nullopt, std::nullopt, std::nullopt});
  ok("delete-world", "{}", std::string("phoenix"));
  auto r = ok("create-world", R"({"name":"Phoenix"})");
  BOOST_TEST(r.broadcasts[0].seq == 4u);  // 1-2 first life, 3 delete, then 4
  auto after = core->subscribe(SubscribeRequest{"phoenix", std::nullopt, std::nullopt, std::nullopt});
  BOOST_REQUIRE(before.epoch.has_value());
  BOOST_REQUIRE(after.epoch.has_value());
  BOOST_TEST(*before.epoch != *after.epoch);
  BOOST_TEST(after.latest_seq == 5u);
}

BOOST_AUTO_TEST_CASE(update_world_changes_fields_and_emits_update_world) {
  create_world("Up");
  auto r = ok("update-world",
              R"({"name":"Up Renamed","description":"d","turnLimit":9,"chatLLMProvider":"openai","chatLLMModel":"m"})",
              std::string("up"));
  BOOST_TEST(r.message == "World 'Up Renamed' updated");
  auto d = data(r);
  BOOST_TEST(str(d, "id") == "up");  // ids never change
  BOOST_TEST(str(d, "name") == "Up Renamed");
  BOOST_TEST(*json::get_int(d, "turnLimit") == 9);
  BOOST_TEST(d["agents"].IsArray());
  BOOST_REQUIRE(r.broadcasts.size() == 1u);
  auto f = frame(r.broadcasts[0]);
  BOOST_TEST(str(f["payload"], "operation") == "update");
  BOOST_TEST(str(f["payload"], "entityType") == "world");
  BOOST_TEST(str(f["payload"]["entityData"], "name") == "Up Renamed");

  auto cleared = data(ok("update-world", R"({"description":null,"chatLLMModel":null})", std::string("up")));
  BOOST_TEST(!has(cleared, "description"));
  BOOST_TEST(!has(cleared, "chatLLMModel"));
  BOOST_TEST(str(cleared, "chatLLMProvider") == "openai");  // absent = unchanged
  BOOST_TEST(*json::get_int(cleared, "turnLimit") == 9);
}

BOOST_AUTO_TEST_CASE(update_world_errors) {
  expect_error(run("update-world", R"({"name":"x"})", std::string("nope")), "world_not_found",
               "World 'nope' not found");
  expect_error(run("update-world", R"({"name":"x"})"), "invalid_request", "worldId required for update-world");
  create_world("Up");
  expect_error(run("update-world", R"({"name":null})", std::string("up")), "invalid_request",
               "Command execution failed: name must be 1 to 100 characters");
  expect_error(run("update-world", R"({"turnLimit":-3})", std::string("up")), "invalid_request",
               "Command execution failed: turnLimit must be an integer >= 1");
}

BOOST_AUTO_TEST_CASE(mcp_config_is_redacted_everywhere_and_a_redacted_echo_keeps_it) {
  const std::string config =
      R"({"servers":{"fs":{"command":"x","env":{"TOKEN":"hunter2"}},"web":{"url":"https://u:pw@h.example/p?k=topsecretq"}}})";
  json::Document params;
  params.SetObject();
  params.AddMember("name", "Secret World", params.GetAllocator());
  params.AddMember("mcpConfig", json::Value(config.c_str(), params.GetAllocator()), params.GetAllocator());
  auto r = core->run_command("create-world", params, std::nullopt, admin);
  BOOST_REQUIRE(r.status.is_ok());
  const std::string redacted = str(data(r), "mcpConfig");
  BOOST_TEST(redacted.find("hunter2") == std::string::npos);
  BOOST_TEST(redacted.find("topsecretq") == std::string::npos);
  BOOST_TEST(redacted.find("pw") == std::string::npos);
  BOOST_TEST(redacted.find("\"TOKEN\":\"***\"") != std::string::npos);
  BOOST_TEST(redacted.find("https://***@h.example/p?***") != std::string::npos);
  BOOST_TEST(r.broadcasts[0].live_json->find("hunter2") == std::string::npos);
  BOOST_TEST(*storage().worlds().find("secret-world").value()->mcp_config == config);  // stored as given

  json::Document echo;
  echo.SetObject();
  echo.AddMember("mcpConfig", json::Value(redacted.c_str(), echo.GetAllocator()), echo.GetAllocator());
  BOOST_REQUIRE(core->run_command("update-world", echo, std::string("secret-world"), admin).status.is_ok());
  BOOST_TEST(*storage().worlds().find("secret-world").value()->mcp_config == config);  // unchanged

  BOOST_REQUIRE(
      ok("update-world", R"({"mcpConfig":"{\"servers\":[\"fs\"]}"})", std::string("secret-world")).status.is_ok());
  BOOST_TEST(*storage().worlds().find("secret-world").value()->mcp_config == R"({"servers":["fs"]})");
  ok("update-world", R"({"mcpConfig":null})", std::string("secret-world"));
  BOOST_TEST(!storage().worlds().find("secret-world").value()->mcp_config.has_value());
}

BOOST_AUTO_TEST_CASE(unknown_command_and_missing_world_id) {
  expect_error(run("fly-to-moon"), "unknown_command", "Unknown command: fly-to-moon");
  expect_error(run("whoami"), "unknown_command", "Unknown command: whoami");  // answered by the WebSocket layer
  for (const char* command : {"create-agent", "get-agent", "list-agents", "delete-agent", "new-chat", "list-chats",
                              "delete-chat", "export-world", "update-world", "update-agent", "clear-agent-memory",
                              "select-chat", "rename-chat", "get-chat-messages", "cancel-message", "retry-failed"}) {
    expect_error(run(command), "invalid_request", std::string("worldId required for ") + command);
  }
  json::Document not_object;
  not_object.SetArray();
  expect_error(core->run_command("list-worlds", not_object, std::nullopt, admin), "invalid_request",
               "Invalid params for list-worlds");
}

BOOST_AUTO_TEST_CASE(create_world_ignores_world_id) {
  auto r = ok("create-world", R"({"name":"Real"})", std::string("something-else"));
  BOOST_TEST(str(data(r), "id") == "real");
}

BOOST_AUTO_TEST_CASE(data_survives_reopening_the_file) {
  create_world("Durable");
  reopen();
  BOOST_TEST(core->world_count() == 1);
  BOOST_TEST(ok("create-world", R"({"name":"Second"})").broadcasts[0].seq == 1u);
}

BOOST_AUTO_TEST_CASE(memory_storage_type_works) {
  core.reset();
  options.storage_type = "memory";
  reopen();
  create_world("In Memory");
  BOOST_TEST(core->world_count() == 1);
  BOOST_TEST(core->is_ready());
}

BOOST_AUTO_TEST_CASE(foreign_database_is_refused_by_open) {
  core.reset();
  {
    auto db = storage::Database::open(dir.file("foreign.db"), false).value();
    BOOST_REQUIRE(db->exec("CREATE TABLE worlds (id TEXT)").is_ok());
  }
  CoreOptions foreign = options;
  foreign.database_path = dir.file("foreign.db");
  auto opened = GatewayCore::open(foreign, Logger());
  BOOST_REQUIRE(!opened.is_ok());
  BOOST_TEST(opened.status().code() == "foreign_database");
  BOOST_TEST(opened.status().message().find("foreign.db") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::test
