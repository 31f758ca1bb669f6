// The extended commands (ws-protocol.md §8.3): updates, memory, chat selection and renaming, conversation reads,
// queue commands and whoami, with their *_not_found texts.
#include <boost/test/unit_test.hpp>

#include "tests/integration/assertions.h"

namespace aw::test {
namespace {

struct ExtendedFixture : GatewayFixture {
  GatewayProcess& gateway = shared("commands");
  std::unique_ptr<WsTestClient> client = connect(gateway);
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(commands_extended, ExtendedFixture)

BOOST_AUTO_TEST_CASE(update_world_changes_fields_and_keeps_the_id) {
  const std::string world = "update-me-world";
  AW_REQUIRE_OK(create_world(*client, "Update Me World", JsonObject().set("description", "before")));
  auto updated =
      require_success(*client, "update-world",
                      JsonObject().set("name", "Renamed World").set("description", "after").set("turnLimit", 9), world);
  BOOST_TEST(updated.message() == "World 'Renamed World' updated");
  BOOST_TEST(updated.data_string("id").value_or("") == world);
  BOOST_TEST(updated.data_string("name").value_or("") == "Renamed World");
  BOOST_TEST(updated.data_string("description").value_or("") == "after");
  BOOST_TEST(updated.data_int("turnLimit").value_or(0) == 9);
  // null clears an optional field; an absent field stays.
  auto cleared = require_success(*client, "update-world", JsonObject().set_null("description"), world);
  BOOST_TEST(!cleared.status.has("payload.data.description"));
  BOOST_TEST(cleared.data_int("turnLimit").value_or(0) == 9);
  auto refused = run_command(*client, "update-world", JsonObject().set("turnLimit", -3), world);
  AW_REQUIRE_OK(refused);
  BOOST_TEST(refused->code() == "invalid_request");
  require_failure(*client, "update-world", JsonObject().set("name", "X"), "no-such-update-world", "world_not_found",
                  "World 'no-such-update-world' not found");
}

BOOST_AUTO_TEST_CASE(mcp_config_is_validated_and_always_redacted) {
  const std::string secret_config = R"({"mcpServers":{"files":{"command":"npx","env":{"API_KEY":"sk-very-secret"},)"
                                    R"("url":"https://alice:hunter2@mcp.example.com/sse?token=tok-123"}}})";
  auto subscriber = connect(gateway);
  require_subscribed(*subscriber, "mcp-world");
  auto created =
      require_success(*client, "create-world", JsonObject().set("name", "Mcp World").set("mcpConfig", secret_config));
  auto world = require_success(*client, "get-world", JsonObject(), "mcp-world");
  const Frame crud = require_crud(*subscriber, "mcp-world");
  auto exported = require_success(*client, "export-world", JsonObject(), "mcp-world");
  for (const Frame* frame : std::vector<const Frame*>{&created.status, &world.status, &crud, &exported.status}) {
    for (const char* secret : {"sk-very-secret", "hunter2", "tok-123"}) {
      BOOST_TEST(frame->text.find(secret) == std::string::npos, "secret " << secret << " leaked: " << frame->text);
    }
  }
  const std::string redacted = world.data_string("mcpConfig").value_or("");
  BOOST_TEST(redacted.find("***") != std::string::npos, redacted);
  BOOST_TEST(redacted.find("mcp.example.com") != std::string::npos, redacted);  // only the secrets are masked
  const Frame parsed = make_frame(redacted, false);
  BOOST_TEST(str_of(parsed, "mcpServers.files.env.API_KEY") == "***");
  BOOST_TEST(str_of(parsed, "mcpServers.files.command") == "npx");

  auto refused =
      run_command(*client, "create-world", JsonObject().set("name", "Bad Mcp World").set("mcpConfig", "[1,2]"));
  AW_REQUIRE_OK(refused);
  BOOST_TEST(refused->code() == "invalid_request");
}

BOOST_AUTO_TEST_CASE(update_agent_changes_fields_and_reports_unknown_agents) {
  const std::string world = "update-agent-world";
  AW_REQUIRE_OK(create_world(*client, "Update Agent World"));
  require_success(*client, "create-agent",
                  JsonObject().set("id", "ann").set("name", "Ann").set("systemPrompt", "be brief"), world);
  auto updated = require_success(
      *client, "update-agent",
      JsonObject().set("agentId", "ann").set("name", "Annie").set("model", "gpt-4o").set_raw("temperature", "0.5"),
      world);
  BOOST_TEST(updated.message() == "Agent 'Annie' updated");
  BOOST_TEST(updated.data_string("id").value_or("") == "ann");
  BOOST_TEST(updated.data_string("model").value_or("") == "gpt-4o");
  BOOST_TEST(updated.data_string("systemPrompt").value_or("") == "be brief");
  auto cleared =
      require_success(*client, "update-agent", JsonObject().set("agentId", "ann").set_null("systemPrompt"), world);
  BOOST_TEST(!cleared.status.has("payload.data.systemPrompt"));
  require_failure(*client, "update-agent", JsonObject().set("agentId", "zed").set("name", "Zed"), world,
                  "agent_not_found", "Agent 'zed' not found");
  auto bad = run_command(*client, "update-agent", JsonObject().set("agentId", "ann").set("provider", "nobody"), world);
  AW_REQUIRE_OK(bad);
  BOOST_TEST(bad->code() == "invalid_request");
}

BOOST_AUTO_TEST_CASE(clear_agent_memory_reports_removed_rows) {
  const std::string world = "memory-world";
  AW_REQUIRE_OK(create_world(*client, "Memory World"));
  require_success(*client, "create-agent", JsonObject().set("id", "mem").set("name", "Mem"), world);
  auto cleared = require_success(*client, "clear-agent-memory", JsonObject().set("agentId", "mem"), world);
  BOOST_TEST(cleared.message() == "Cleared 0 memory row(s) for agent 'Mem'");
  BOOST_TEST(cleared.data_string("agentId").value_or("") == "mem");
  BOOST_TEST(cleared.data_int("removed").value_or(-1) == 0);
  require_failure(*client, "clear-agent-memory", JsonObject().set("agentId", "ghost"), world, "agent_not_found",
                  "Agent 'ghost' not found");
}

BOOST_AUTO_TEST_CASE(select_and_rename_chat) {
  const std::string world = "select-chat-world";
  AW_REQUIRE_OK(create_world(*client, "Select Chat World"));
  const std::string first = current_chat_id(*client, world);
  require_queued(*client, world, "select-m1", "fill the first chat", JsonObject().set("chatId", first));
  const std::string second =
      require_success(*client, "new-chat", JsonObject(), world).data_string("chatId").value_or("");
  BOOST_REQUIRE(!second.empty() && second != first);

  auto renamed =
      require_success(*client, "rename-chat", JsonObject().set("chatId", first).set("name", "Topic A"), world);
  BOOST_TEST(renamed.message() == "Chat renamed to 'Topic A'");
  BOOST_TEST(renamed.data_string("id").value_or("") == first);
  BOOST_TEST(renamed.data_string("name").value_or("") == "Topic A");

  auto selected = require_success(*client, "select-chat", JsonObject().set("chatId", first), world);
  BOOST_TEST(selected.message() == "Chat 'Topic A' selected");
  BOOST_TEST(selected.data_string("currentChatId").value_or("") == first);
  BOOST_TEST(current_chat_id(*client, world) == first);

  require_failure(*client, "select-chat", JsonObject().set("chatId", "chat-0-missing"), world, "chat_not_found",
                  "Chat 'chat-0-missing' not found");
  require_failure(*client, "rename-chat", JsonObject().set("chatId", "chat-0-missing").set("name", "N"), world,
                  "chat_not_found", "Chat 'chat-0-missing' not found");
}

BOOST_AUTO_TEST_CASE(get_chat_messages_of_an_empty_chat) {
  const std::string world = "messages-world";
  AW_REQUIRE_OK(create_world(*client, "Messages World"));
  const std::string chat = current_chat_id(*client, world);
  auto messages = require_success(*client, "get-chat-messages", JsonObject(), world);
  BOOST_TEST(messages.message() == "Found 0 message(s)");
  BOOST_TEST(messages.data_string("chatId").value_or("") == chat);  // defaults to the current chat
  BOOST_TEST(messages.data_array_size("messages").value_or(99) == 0u);
  BOOST_TEST(messages.data_int("total").value_or(-1) == 0);
  BOOST_TEST(messages.status.json_at("payload.data.hasMore") == "false");
  BOOST_TEST(!messages.status.has("payload.data.nextBeforeSeq"));
  require_failure(*client, "get-chat-messages", JsonObject().set("chatId", "chat-0-none"), world, "chat_not_found",
                  "Chat 'chat-0-none' not found");
  for (int limit : {0, 501}) {
    auto refused = run_command(*client, "get-chat-messages", JsonObject().set("limit", limit), world);
    AW_REQUIRE_OK(refused);
    BOOST_TEST(refused->code() == "invalid_request", "limit " << limit << " -> " << refused->status.text);
  }
  BOOST_TEST(require_success(*client, "get-chat-messages", JsonObject().set("limit", 500), world).ok());
}

BOOST_AUTO_TEST_CASE(cancel_message_of_a_pending_item) {
  const std::string world = "cancel-world";
  AW_REQUIRE_OK(create_world(*client, "Cancel World"));
  require_queued(*client, world, "cancel-m1");
  auto cancelled = require_success(*client, "cancel-message", JsonObject().set("messageId", "cancel-m1"), world);
  BOOST_TEST(cancelled.message() == "Message cancelled");
  BOOST_TEST(cancelled.data_string("messageId").value_or("") == "cancel-m1");
  BOOST_TEST(cancelled.status.json_at("payload.data.cancelled") == "true");
  BOOST_TEST(cancelled.data_string("state").value_or("") == "cancelled");

  // The originating connection learns the terminal outcome: failed with cancelled:true (§7.2, §11.11).
  auto failed = client->wait_for(has_status("failed"));
  BOOST_REQUIRE_MESSAGE(failed.has_value(), "no failed status after cancelling a pending item");
  BOOST_TEST(str_of(*failed, "messageId") == "cancel-m1");
  BOOST_TEST(str_of(*failed, "worldId") == world);
  BOOST_TEST(bool_of(*failed, "payload.cancelled") == 1);
  BOOST_TEST(str_of(*failed, "payload.code") == "cancelled");
  BOOST_TEST(bool_of(*failed, "payload.willRetry") == 0);
  BOOST_TEST(failed->string_at("payload.error").has_value());

  auto again = require_success(*client, "cancel-message", JsonObject().set("messageId", "cancel-m1"), world);
  BOOST_TEST(again.message() == "Message already cancelled");
  BOOST_TEST(again.status.json_at("payload.data.cancelled") == "false");
  BOOST_TEST(again.data_string("state").value_or("") == "cancelled");
  require_failure(*client, "cancel-message", JsonObject().set("messageId", "never-sent"), world, "message_not_found",
                  "Message 'never-sent' not found");
}

BOOST_AUTO_TEST_CASE(queue_status_counts_pending_items) {
  const std::string world = "queue-status-world";
  AW_REQUIRE_OK(create_world(*client, "Queue Status World"));
  require_queued(*client, world, "qs-1");
  require_queued(*client, world, "qs-2");
  auto status = require_success(*client, "queue-status", JsonObject(), world);
  BOOST_TEST(status.message() == "Queue status for 1 world(s)");
  BOOST_REQUIRE(status.data_array_size("worlds").value_or(0) == 1u);
  BOOST_TEST(status.data_string("worlds.0.worldId").value_or("") == world);
  BOOST_TEST(status.data_int("worlds.0.pending").value_or(-1) == 2);
  BOOST_TEST(status.data_int("worlds.0.processing").value_or(-1) == 0);
  BOOST_TEST(status.data_int("worlds.0.failed").value_or(-1) == 0);
  BOOST_TEST(status.data_string("worlds.0.oldestPendingAt").value_or("").size() == 24u);  // ISO with ms

  auto all = require_success(*client, "queue-status");
  BOOST_TEST(all.data_array_size("worlds").value_or(0) >= 1u);
  BOOST_TEST(all.message() ==
             "Queue status for " + std::to_string(all.data_array_size("worlds").value_or(0)) + " world(s)");
}

BOOST_AUTO_TEST_CASE(failed_list_and_retry_without_failures) {
  const std::string world = "retry-world";
  AW_REQUIRE_OK(create_world(*client, "Retry World"));
  auto failed = require_success(*client, "list-failed", JsonObject(), world);
  BOOST_TEST(failed.message() == "Found 0 failed message(s)");
  BOOST_TEST(failed.data_array_size().value_or(99) == 0u);
  auto retried = require_success(*client, "retry-failed", JsonObject(), world);
  BOOST_TEST(retried.message() == "Requeued 0 message(s)");
  BOOST_TEST(retried.data_array_size("requeued").value_or(99) == 0u);

  require_queued(*client, world, "retry-pending");
  require_failure(*client, "retry-failed", JsonObject().set("messageId", "retry-pending"), world, "invalid_request",
                  "Message 'retry-pending' is not in failed state");
  require_failure(*client, "retry-failed", JsonObject().set("messageId", "retry-unknown"), world, "message_not_found",
                  "Message 'retry-unknown' not found");
  require_failure(*client, "retry-failed", JsonObject(), std::nullopt, "invalid_request",
                  "worldId required for retry-failed");
}

BOOST_AUTO_TEST_CASE(whoami_without_auth) {
  AW_REQUIRE_OK(create_world(*client, "Whoami World"));
  require_subscribed(*client, "whoami-world");
  auto me = require_success(*client, "whoami");
  BOOST_TEST(me.message() == "Authentication disabled");
  BOOST_TEST(me.status.json_at("payload.data.authenticated") == "false");
  BOOST_TEST(me.data_string("authMode").value_or("") == "off");
  BOOST_TEST(me.data_string("role").value_or("") == "admin");
  BOOST_TEST(me.status.json_at("payload.data.worlds") == R"(["*"])");
  BOOST_TEST(me.data_string("connectionId").has_value());
  BOOST_REQUIRE(me.data_array_size("subscriptions").value_or(0) == 1u);
  BOOST_TEST(me.data_string("subscriptions.0.worldId").value_or("") == "whoami-world");
  // A world-wide subscription has no chat: null or left out.
  BOOST_TEST((me.status.is_null_at("payload.data.subscriptions.0.chatId") ||
              !me.status.has("payload.data.subscriptions.0.chatId")));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
