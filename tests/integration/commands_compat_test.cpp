// The 12 compat commands (ws-protocol.md §8.2) and the compat expectations of §11 items 13-20, with the success
// shapes and the documented failure texts (the error pair of §4.6).
#include <boost/test/unit_test.hpp>

#include "tests/integration/assertions.h"

namespace aw::test {
namespace {

struct CommandsFixture : GatewayFixture {
  GatewayProcess& gateway = shared("commands");
  std::unique_ptr<WsTestClient> client = connect(gateway);
};

JsonObject compat_agent(const std::string& id, const std::string& name) {
  return JsonObject().set("id", id).set("name", name).set("provider", "ollama").set("model", "llama3.2:3b");
}

// Length in Unicode code points (the unit of "World exported (<n> characters)").
std::size_t code_points(const std::string& utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool array_has_id(const Frame& frame, const std::string& path, const std::string& id) {
  const json::Value* array = frame.at(path);
  if (array == nullptr || !array->IsArray()) return false;
  for (const auto& item : array->GetArray()) {
    if (json::get_string(item, "id").value_or("") == id) return true;
  }
  return false;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(commands_compat, CommandsFixture)

// §11.15, §11.18: the compat test's world, listed and read back.
BOOST_AUTO_TEST_CASE(compat_world_is_created_listed_and_read) {
  auto created = require_success(*client, "create-world",
                                 JsonObject()
                                     .set("name", "ws-test-world")
                                     .set("description", "WebSocket integration test world")
                                     .set("turnLimit", 5)
                                     .set("chatLLMProvider", "ollama")
                                     .set("chatLLMModel", "llama3.2:3b"));
  BOOST_TEST(created.message() == "World 'ws-test-world' created successfully");
  BOOST_TEST(!created.status.has("worldId"));  // the request had none
  BOOST_TEST(created.data_string("id").value_or("") == "ws-test-world");
  BOOST_TEST(created.data_string("name").value_or("") == "ws-test-world");
  BOOST_TEST(created.data_string("description").value_or("") == "WebSocket integration test world");
  BOOST_TEST(created.data_int("turnLimit").value_or(0) == 5);
  BOOST_TEST(created.data_string("chatLLMProvider").value_or("") == "ollama");
  BOOST_TEST(created.data_string("chatLLMModel").value_or("") == "llama3.2:3b");
  BOOST_TEST(created.data_string("currentChatId").value_or("").rfind("chat-", 0) == 0u);
  BOOST_TEST(created.data_array_size("agents").value_or(99) == 0u);
  BOOST_TEST(created.data_array_size("chats").value_or(0) == 1u);
  BOOST_TEST(created.data_string("createdAt").has_value());

  auto listed = require_success(*client, "list-worlds");
  BOOST_REQUIRE(listed.data() != nullptr && listed.data()->IsArray());
  BOOST_TEST(array_has_id(listed.status, "payload.data", "ws-test-world"));
  BOOST_TEST(listed.message() == "Found " + std::to_string(listed.data()->Size()) + " world(s)");
  for (const auto& summary : listed.data()->GetArray()) {
    BOOST_TEST(json::get_int(summary, "agentCount").has_value());
    BOOST_TEST(json::find(summary, "agents") == nullptr);
  }

  auto world = require_success(*client, "get-world", JsonObject(), "ws-test-world");
  BOOST_TEST(world.message() == "World 'ws-test-world' retrieved");
  BOOST_TEST(str_of(world.status, "worldId") == "ws-test-world");
  BOOST_TEST(world.data_string("id").value_or("") == "ws-test-world");
  BOOST_TEST(world.data_string("name").value_or("") == "ws-test-world");
  BOOST_TEST(world.data_string("currentChatId").has_value());
  BOOST_TEST(world.data_array_size("agents").has_value());
  BOOST_TEST(world.data_array_size("chats").value_or(0) >= 1u);

  // get-world also takes params.worldId [compat].
  auto by_param = require_success(*client, "get-world", JsonObject().set("worldId", "ws-test-world"));
  BOOST_TEST(by_param.data_string("id").value_or("") == "ws-test-world");
}

// §11.17, §11.18, §11.19: agents alice and bob, read back, exported, deleted.
BOOST_AUTO_TEST_CASE(compat_agents_are_created_read_exported_and_deleted) {
  const std::string world = "compat-agents-world";
  AW_REQUIRE_OK(create_world(*client, "Compat Agents World",
                             JsonObject().set("description", "Agents for the compat flow").set("turnLimit", 7)));
  auto alice = require_success(*client, "create-agent", compat_agent("alice", "Alice"), world);
  BOOST_TEST(alice.message() == "Agent 'Alice' created successfully");
  BOOST_TEST(alice.data_string("id").value_or("") == "alice");
  BOOST_TEST(alice.data_string("provider").value_or("") == "ollama");
  BOOST_TEST(alice.data_string("type").value_or("") == "default");
  BOOST_TEST(alice.data_string("status").value_or("") == "inactive");
  BOOST_TEST(alice.data_int("llmCallCount").value_or(-1) == 0);
  auto bob = require_success(*client, "create-agent", compat_agent("bob", "Bob"), world);
  BOOST_TEST(bob.data_string("id").value_or("") == "bob");

  auto listed = require_success(*client, "list-agents", JsonObject(), world);
  BOOST_TEST(listed.message() == "Found 2 agent(s)");
  BOOST_REQUIRE(listed.data_array_size().value_or(0) == 2u);
  BOOST_TEST(listed.data_string("0.id").value_or("") == "alice");  // creation order
  BOOST_TEST(listed.data_string("1.id").value_or("") == "bob");

  auto got = require_success(*client, "get-agent", JsonObject().set("agentId", "alice"), world);
  BOOST_TEST(got.message() == "Agent 'Alice' retrieved");
  BOOST_TEST(got.data_string("id").value_or("") == "alice");
  BOOST_TEST(got.data_string("name").value_or("") == "Alice");
  BOOST_TEST(got.data_string("model").value_or("") == "llama3.2:3b");
  BOOST_TEST(got.data_int("llmCallCount").has_value());
  BOOST_TEST(got.data_int("memorySize").value_or(-1) == 0);
  BOOST_TEST(got.data_array_size("memory").value_or(99) == 0u);

  auto full = require_success(*client, "get-world", JsonObject(), world);
  BOOST_REQUIRE(full.data_array_size("agents").value_or(0) == 2u);
  for (const auto& agent : full.data("agents")->GetArray()) {
    BOOST_TEST(json::get_string(agent, "id").has_value());
    BOOST_TEST(json::get_int(agent, "llmCallCount").has_value());
  }
  BOOST_TEST(full.data_int("totalAgents").value_or(-1) == 2);

  auto exported = require_success(*client, "export-world", JsonObject(), world);
  const std::string markdown = exported.data_string("").value_or("");
  BOOST_REQUIRE(!markdown.empty());
  for (const char* needle :
       {"# World Export:", "compat-agents-world", "## World Configuration", "Agents for the compat flow", "Turn Limit",
        "## Agents", "Alice", "Bob", "llama3.2:3b", "## Current Chat"}) {
    BOOST_TEST(markdown.find(needle) != std::string::npos, "export lacks '" << needle << "'");
  }
  BOOST_TEST(exported.message() == "World exported (" + std::to_string(code_points(markdown)) + " characters)");

  auto deleted = require_success(*client, "delete-agent", JsonObject().set("agentId", "bob"), world);
  BOOST_TEST(deleted.message() == "Agent deleted");
  BOOST_TEST(deleted.status.json_at("payload.data") == "true");
  auto again = require_success(*client, "delete-agent", JsonObject().set("agentId", "bob"), world);
  BOOST_TEST(again.message() == "Agent deleted");
  BOOST_TEST(again.status.json_at("payload.data") == "false");
  auto after = require_success(*client, "list-agents", JsonObject(), world);
  BOOST_TEST(after.data_array_size().value_or(0) == 1u);
}

BOOST_AUTO_TEST_CASE(unset_optional_fields_are_left_out_not_null) {
  auto world = require_success(*client, "create-world", JsonObject().set("name", "Sparse World"));
  for (const char* field : {"description", "chatLLMProvider", "chatLLMModel", "mcpConfig"}) {
    BOOST_TEST(!world.status.has(std::string("payload.data.") + field), "world field " << field << " is present");
  }
  auto agent = require_success(*client, "create-agent", JsonObject().set("name", "Sparse Agent"), "sparse-world");
  for (const char* field : {"systemPrompt", "temperature", "maxTokens", "lastLLMCall"}) {
    BOOST_TEST(!agent.status.has(std::string("payload.data.") + field), "agent field " << field << " is present");
  }
  BOOST_TEST(agent.status.text.find(":null") == std::string::npos, agent.status.text);
}

BOOST_AUTO_TEST_CASE(list_worlds_is_in_creation_order) {
  AW_REQUIRE_OK(create_world(*client, "Order Zulu World"));
  AW_REQUIRE_OK(create_world(*client, "Order Alpha World"));
  auto listed = require_success(*client, "list-worlds");
  BOOST_REQUIRE(listed.data() != nullptr && listed.data()->IsArray());
  int zulu = -1;
  int alpha = -1;
  int index = 0;
  for (const auto& summary : listed.data()->GetArray()) {
    const std::string id = json::get_string(summary, "id").value_or("");
    if (id == "order-zulu-world") zulu = index;
    if (id == "order-alpha-world") alpha = index;
    ++index;
  }
  BOOST_TEST(zulu >= 0);
  BOOST_TEST(alpha == zulu + 1);
}

BOOST_AUTO_TEST_CASE(create_agent_applies_defaults_and_kebab_case_ids) {
  const std::string world = "agent-defaults-world";
  AW_REQUIRE_OK(create_world(*client, "Agent Defaults World"));
  auto agent = require_success(*client, "create-agent", JsonObject().set("name", "My Helper Bot"), world);
  BOOST_TEST(agent.data_string("id").value_or("") == "my-helper-bot");
  BOOST_TEST(agent.data_string("provider").value_or("") == "openai");
  BOOST_TEST(agent.data_string("model").value_or("") == "gpt-4");
  BOOST_TEST(agent.data_string("type").value_or("") == "default");
  auto by_id = require_success(*client, "create-agent", JsonObject().set("id", "Second Agent").set("name", "X"), world);
  BOOST_TEST(by_id.data_string("id").value_or("") == "second-agent");
}

// §11.16, §8.2 new-chat / list-chats / delete-chat.
BOOST_AUTO_TEST_CASE(chats_are_listed_created_reused_and_deleted) {
  const std::string world = "compat-chats-world";
  AW_REQUIRE_OK(create_world(*client, "Compat Chats World"));
  auto chats = require_success(*client, "list-chats", JsonObject(), world);
  BOOST_TEST(chats.message() == "Found 1 chat(s)");
  BOOST_REQUIRE(chats.data_array_size().value_or(0) == 1u);
  BOOST_TEST(chats.data_string("0.name").value_or("") == "New Chat");
  BOOST_TEST(chats.data_string("0.worldId").value_or("") == world);
  BOOST_TEST(chats.data_int("0.messageCount").value_or(-1) == 0);
  const std::string first_chat = chats.data_string("0.id").value_or("");

  // The only chat is an empty "New Chat": new-chat reuses it.
  auto reused = require_success(*client, "new-chat", JsonObject(), world);
  BOOST_TEST(reused.message() == "Chat 'Compat Chats World' created successfully");
  BOOST_TEST(reused.data_string("id").value_or("") == world);
  BOOST_TEST(reused.data_string("currentChatId").value_or("") == first_chat);
  BOOST_TEST(reused.data_string("chatId").value_or("") == first_chat);

  // A pending message naming the chat makes it non-empty, so the next new-chat creates one.
  require_queued(*client, world, "chats-m1", "hello", JsonObject().set("chatId", first_chat));
  auto created = require_success(*client, "new-chat", JsonObject(), world);
  const std::string second_chat = created.data_string("currentChatId").value_or("");
  BOOST_TEST(!second_chat.empty());
  BOOST_TEST(second_chat != world);
  BOOST_TEST(second_chat != first_chat);
  BOOST_TEST(created.data_string("chatId").value_or("") == second_chat);
  BOOST_TEST(require_success(*client, "list-chats", JsonObject(), world).data_array_size().value_or(0) == 2u);

  // delete-chat with the world id (what the compat test passes) answers false.
  auto not_a_chat = require_success(*client, "delete-chat", JsonObject().set("chatId", world), world);
  BOOST_TEST(not_a_chat.message() == "Chat deleted");
  BOOST_TEST(not_a_chat.status.json_at("payload.data") == "false");

  // Deleting the current chat makes another one current.
  auto deleted = require_success(*client, "delete-chat", JsonObject().set("chatId", second_chat), world);
  BOOST_TEST(deleted.status.json_at("payload.data") == "true");
  BOOST_TEST(current_chat_id(*client, world) == first_chat);
  // Deleting the last chat creates a fresh "New Chat" (a world always has one).
  require_success(*client, "delete-chat", JsonObject().set("chatId", first_chat), world);
  const std::string replacement = current_chat_id(*client, world);
  BOOST_TEST(replacement != first_chat);
  BOOST_TEST(require_success(*client, "list-chats", JsonObject(), world).data_array_size().value_or(0) == 1u);
}

// §11.14, §8.2 delete-world and get-world of a missing world.
BOOST_AUTO_TEST_CASE(delete_world_answers_true_then_false) {
  AW_REQUIRE_OK(create_world(*client, "Doomed World"));
  auto deleted = require_success(*client, "delete-world", JsonObject(), "doomed-world");
  BOOST_TEST(deleted.message() == "World deleted");
  BOOST_TEST(deleted.status.json_at("payload.data") == "true");
  auto again = require_success(*client, "delete-world", JsonObject().set("worldId", "doomed-world"));
  BOOST_TEST(again.message() == "World deleted");
  BOOST_TEST(again.status.json_at("payload.data") == "false");
  auto missing = require_success(*client, "get-world", JsonObject(), "doomed-world");
  BOOST_TEST(missing.message() == "World not found");
  BOOST_TEST(missing.status.is_null_at("payload.data"));
}

// §8.2: reads and deletes on a world that does not exist.
BOOST_AUTO_TEST_CASE(missing_world_reads_answer_empty_and_deletes_false) {
  const std::string ghost = "never-created-world";
  auto agents = require_success(*client, "list-agents", JsonObject(), ghost);
  BOOST_TEST(agents.data_array_size().value_or(99) == 0u);
  BOOST_TEST(agents.message() == "Found 0 agent(s)");
  auto chats = require_success(*client, "list-chats", JsonObject(), ghost);
  BOOST_TEST(chats.data_array_size().value_or(99) == 0u);
  auto agent = require_success(*client, "get-agent", JsonObject().set("agentId", "alice"), ghost);
  BOOST_TEST(agent.status.is_null_at("payload.data"));
  BOOST_TEST(agent.message() == "Agent not found");
  auto del_agent = require_success(*client, "delete-agent", JsonObject().set("agentId", "alice"), ghost);
  BOOST_TEST(del_agent.status.json_at("payload.data") == "false");
  auto del_chat = require_success(*client, "delete-chat", JsonObject().set("chatId", ghost), ghost);
  BOOST_TEST(del_chat.status.json_at("payload.data") == "false");
  auto del_world = require_success(*client, "delete-world", JsonObject(), ghost);
  BOOST_TEST(del_world.status.json_at("payload.data") == "false");
}

BOOST_AUTO_TEST_CASE(get_agent_of_a_missing_agent_is_null) {
  AW_REQUIRE_OK(create_world(*client, "Agentless World"));
  auto agent = require_success(*client, "get-agent", JsonObject().set("agentId", "nobody"), "agentless-world");
  BOOST_TEST(agent.status.is_null_at("payload.data"));
  BOOST_TEST(agent.message() == "Agent not found");
}

BOOST_AUTO_TEST_CASE(turn_limit_defaults_and_validation) {
  auto zero = require_success(*client, "create-world", JsonObject().set("name", "Turn Zero World").set("turnLimit", 0));
  BOOST_TEST(zero.data_int("turnLimit").value_or(0) == 5);
  auto null =
      require_success(*client, "create-world", JsonObject().set("name", "Turn Null World").set_null("turnLimit"));
  BOOST_TEST(null.data_int("turnLimit").value_or(0) == 5);
  require_failure(*client, "create-world", JsonObject().set("name", "Turn Negative World").set("turnLimit", -1),
                  std::nullopt, "invalid_request", "Command execution failed: turnLimit must be an integer >= 1");
  auto fraction =
      run_command(*client, "create-world", JsonObject().set("name", "Turn Fraction World").set_raw("turnLimit", "2.5"));
  AW_REQUIRE_OK(fraction);
  BOOST_TEST(fraction->code() == "invalid_request");
  // Nothing was created by the refused requests.
  auto missing = require_success(*client, "get-world", JsonObject(), "turn-negative-world");
  BOOST_TEST(missing.status.is_null_at("payload.data"));
}

BOOST_AUTO_TEST_CASE(duplicate_ids_are_already_exists) {
  AW_REQUIRE_OK(create_world(*client, "Duplicate World"));
  require_failure(*client, "create-world", JsonObject().set("name", "Duplicate World"), std::nullopt, "already_exists",
                  "Command execution failed: World with name 'Duplicate World' already exists");
  require_success(*client, "create-agent", JsonObject().set("id", "twin").set("name", "Twin"), "duplicate-world");
  require_failure(*client, "create-agent", JsonObject().set("id", "twin").set("name", "Twin Again"), "duplicate-world",
                  "already_exists", "Command execution failed: Agent with ID 'twin' already exists");
}

BOOST_AUTO_TEST_CASE(names_without_an_id_are_refused) {
  require_failure(*client, "create-world", JsonObject().set("name", "!!!"), std::nullopt, "invalid_request",
                  "Command execution failed: '!!!' does not produce a valid id (use at least one ASCII letter or "
                  "digit)");
  AW_REQUIRE_OK(create_world(*client, "Id Rules World"));
  require_failure(*client, "create-agent", JsonObject().set("name", "\xe5\x8a\xa9\xe6\x89\x8b"), "id-rules-world",
                  "invalid_request",
                  "Command execution failed: '\xe5\x8a\xa9\xe6\x89\x8b' does not produce a valid id (use at least "
                  "one ASCII letter or digit)");
}

BOOST_AUTO_TEST_CASE(commands_on_a_missing_world_are_world_not_found) {
  const std::string ghost = "nope-world";
  require_failure(*client, "create-agent", JsonObject().set("name", "A"), ghost, "world_not_found",
                  "Command execution failed: World 'nope-world' not found");
  require_failure(*client, "new-chat", JsonObject(), ghost, "world_not_found",
                  "Command execution failed: World 'nope-world' not found");
  require_failure(*client, "export-world", JsonObject(), ghost, "world_not_found",
                  "Command execution failed: World 'nope-world' not found");
}

BOOST_AUTO_TEST_CASE(commands_that_need_a_world_say_so) {
  for (const char* command : {"create-agent", "get-agent", "list-agents", "delete-agent", "new-chat", "list-chats",
                              "delete-chat", "export-world"}) {
    require_failure(*client, command, JsonObject(), std::nullopt, "invalid_request",
                    std::string("worldId required for ") + command);
  }
}

BOOST_AUTO_TEST_CASE(unknown_command_is_unknown_command) {
  require_failure(*client, "fly-to-the-moon", JsonObject(), std::nullopt, "unknown_command",
                  "Unknown command: fly-to-the-moon");
  require_failure(*client, "teleport", JsonObject(), "some-world", "unknown_command", "Unknown command: teleport");
  BOOST_TEST(ping_pong(*client));
}

BOOST_AUTO_TEST_CASE(invalid_agent_fields_are_invalid_request) {
  AW_REQUIRE_OK(create_world(*client, "Agent Validation World"));
  const std::string world = "agent-validation-world";
  for (const JsonObject& params :
       {JsonObject().set("name", "Bad Provider").set("provider", "skynet"),
        JsonObject().set("name", "Bad Temperature").set_raw("temperature", "2.5"),
        JsonObject().set("name", "Bad Max Tokens").set("maxTokens", 0), JsonObject().set("provider", "openai")}) {
    auto reply = run_command(*client, "create-agent", params, world);
    AW_REQUIRE_OK(reply);
    BOOST_TEST(reply->code() == "invalid_request", params.str() << " -> " << reply->status.text);
    BOOST_TEST(reply->message().rfind("Command execution failed: ", 0) == 0u);
  }
  BOOST_TEST(require_success(*client, "list-agents", JsonObject(), world).data_array_size().value_or(9) == 0u);
}

BOOST_AUTO_TEST_CASE(world_ids_are_canonicalised_and_echoed_as_received) {
  AW_REQUIRE_OK(create_world(*client, "Echo Canon World"));
  auto world = require_success(*client, "get-world", JsonObject(), "Echo Canon World");
  BOOST_TEST(str_of(world.status, "worldId") == "Echo Canon World");
  BOOST_TEST(world.data_string("id").value_or("") == "echo-canon-world");
  auto agents = require_success(*client, "list-agents", JsonObject(), "EchoCanonWorld");
  BOOST_TEST(str_of(agents.status, "worldId") == "EchoCanonWorld");
  BOOST_TEST(agents.data_array_size().has_value());
  // Top-level worldId and params.worldId that differ are refused.
  auto differ = run_command(*client, "get-world", JsonObject().set("worldId", "other-world"), "echo-canon-world");
  AW_REQUIRE_OK(differ);
  BOOST_TEST(differ->code() == "invalid_request");
  BOOST_TEST(differ->error.has_value());
}

BOOST_AUTO_TEST_CASE(commands_need_no_subscription_and_answer_only_the_requester) {
  auto other = connect(gateway);
  AW_REQUIRE_OK(create_world(*client, "Private Answer World"));
  BOOST_TEST(ping_pong(*other));
  for (const Frame& f : other->take_queued()) {
    BOOST_TEST(f.type() != "status", "a bystander received " << f.text);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
