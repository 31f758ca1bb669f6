// Tests of the chat commands (gateway/core/chat_commands.cpp): reuse rule, current chat, crud order, paging.
#include <boost/test/unit_test.hpp>

#include "tests/unit/gateway/core/core_fixture.h"

namespace aw::gateway::test {
namespace {

struct ChatFixture : CoreFixture {
  std::string first_chat = create_world("W");
  const std::optional<std::string> w = std::string("w");

  std::vector<std::string> crud_ops(const CommandResult& r) {
    std::vector<std::string> ops;
    for (const auto& f : r.broadcasts) {
      auto doc = frame(f);
      ops.push_back(str(doc["payload"], "operation") + " " + str(doc["payload"], "entityType"));
    }
    return ops;
  }
  std::string current_chat() { return *storage().worlds().find("w").value()->current_chat_id; }
  // Makes `chat` the most recently updated chat, without depending on the clock moving between two commands.
  void touch(const std::string& chat, const std::string& name) {
    auto record = *storage().chats().find("w", chat).value();
    record.name = name;
    record.updated_at = "2999-01-01T00:00:00.000Z";
    BOOST_REQUIRE(storage().chats().update(record).is_ok());
  }
};

BOOST_FIXTURE_TEST_SUITE(chat_commands, ChatFixture)

BOOST_AUTO_TEST_CASE(new_chat_reuses_the_empty_current_new_chat) {
  auto r = ok("new-chat", "{}", w);
  BOOST_TEST(r.message == "Chat 'W' created successfully");  // the world's name [compat]
  auto d = data(r);
  BOOST_TEST(str(d, "id") == "w");  // data.id is the world id [compat]
  BOOST_TEST(str(d, "currentChatId") == first_chat);
  BOOST_TEST(str(d, "chatId") == first_chat);
  BOOST_TEST(d["chats"].Size() == 1u);
  BOOST_TEST(r.broadcasts.empty());  // nothing changed
}

BOOST_AUTO_TEST_CASE(new_chat_after_a_message_creates_and_selects_a_new_chat) {
  add_message("w", first_chat, "h1", 1);
  auto r = ok("new-chat", "{}", w);
  auto d = data(r);
  const std::string created = str(d, "currentChatId");
  BOOST_TEST(created != first_chat);
  BOOST_TEST(created != "w");
  BOOST_TEST(str(d, "chatId") == created);
  BOOST_TEST(d["chats"].Size() == 2u);
  BOOST_TEST(crud_ops(r) == (std::vector<std::string>{"create chat", "update world"}));
  auto update = frame(r.broadcasts[1]);
  BOOST_TEST(str(update["payload"]["entityData"], "currentChatId") == created);
  BOOST_TEST(str(update["payload"], "chatId") == created);
  BOOST_TEST(r.broadcasts[0].seq + 1 == r.broadcasts[1].seq);
}

BOOST_AUTO_TEST_CASE(new_chat_selects_an_empty_new_chat_that_is_not_current) {
  add_message("w", first_chat, "h1", 1);
  const std::string second = str(data(ok("new-chat", "{}", w)), "currentChatId");
  ok("select-chat", "{\"chatId\":\"" + first_chat + "\"}", w);
  auto r = ok("new-chat", "{}", w);
  BOOST_TEST(str(data(r), "currentChatId") == second);
  BOOST_TEST(crud_ops(r) == (std::vector<std::string>{"update world"}));
}

BOOST_AUTO_TEST_CASE(a_pending_queue_item_makes_a_chat_non_empty) {
  BOOST_REQUIRE(enqueue("w", "m1", "hi", first_chat).status.is_ok());
  auto r = ok("new-chat", "{}", w);
  BOOST_TEST(str(data(r), "currentChatId") != first_chat);
}

BOOST_AUTO_TEST_CASE(new_chat_on_missing_world_fails) {
  expect_error(run("new-chat", "{}", std::string("nope")), "world_not_found",
               "Command execution failed: World 'nope' not found");
}

BOOST_AUTO_TEST_CASE(list_chats_most_recently_updated_first) {
  add_message("w", first_chat, "h1", 1);
  const std::string second = str(data(ok("new-chat", "{}", w)), "currentChatId");
  touch(first_chat, "Touched");
  auto r = ok("list-chats", "{}", w);
  BOOST_TEST(r.message == "Found 2 chat(s)");
  auto d = data(r);
  BOOST_REQUIRE(d.Size() == 2u);
  BOOST_TEST(str(d[0], "id") == first_chat);
  BOOST_TEST(*json::get_int(d[0], "messageCount") == 1);
  BOOST_TEST(str(d[1], "id") == second);
  BOOST_TEST(!has(d[1], "description"));
  BOOST_TEST(ok("list-chats", "{}", std::string("nope")).data_json == "[]");
}

BOOST_AUTO_TEST_CASE(delete_current_chat_selects_the_most_recently_updated_remaining) {
  add_message("w", first_chat, "h1", 1);
  const std::string second = str(data(ok("new-chat", "{}", w)), "currentChatId");
  add_message("w", second, "h2", 2);
  const std::string third = str(data(ok("new-chat", "{}", w)), "currentChatId");
  touch(first_chat, "Recent");
  auto r = ok("delete-chat", "{\"chatId\":\"" + third + "\"}", w);
  BOOST_TEST(r.message == "Chat deleted");
  BOOST_TEST(r.data_json == "true");
  BOOST_TEST(current_chat() == first_chat);
  BOOST_TEST(crud_ops(r) == (std::vector<std::string>{"delete chat", "update world"}));
  auto del = frame(r.broadcasts[0]);
  BOOST_TEST(del["payload"]["entityData"].IsNull());
  BOOST_TEST(str(del["payload"], "entityId") == third);
  BOOST_TEST(str(del["payload"], "chatId") == first_chat);  // current chat after the operation
}

BOOST_AUTO_TEST_CASE(delete_non_current_chat_keeps_current) {
  add_message("w", first_chat, "h1", 1);
  const std::string second = str(data(ok("new-chat", "{}", w)), "currentChatId");
  auto r = ok("delete-chat", "{\"chatId\":\"" + first_chat + "\"}", w);
  BOOST_TEST(current_chat() == second);
  BOOST_TEST(crud_ops(r) == (std::vector<std::string>{"delete chat"}));
  BOOST_TEST(storage().conversation().count_in_chat("w", first_chat).value() == 0);
}

BOOST_AUTO_TEST_CASE(deleting_the_last_chat_creates_a_new_chat) {
  auto r = ok("delete-chat", "{\"chatId\":\"" + first_chat + "\"}", w);
  BOOST_TEST(crud_ops(r) == (std::vector<std::string>{"delete chat", "create chat", "update world"}));
  const std::string now_current = current_chat();
  BOOST_TEST(now_current != first_chat);
  BOOST_TEST(str(frame(r.broadcasts[1])["payload"], "entityId") == now_current);
  BOOST_TEST(str(frame(r.broadcasts[1])["payload"]["entityData"], "name") == "New Chat");
  BOOST_TEST(storage().chats().list("w").value().size() == 1u);
}

BOOST_AUTO_TEST_CASE(delete_chat_deletes_its_events) {
  BOOST_REQUIRE(
      core->append_event("w", first_chat, "message", R"({"content":"x"})", std::nullopt, std::nullopt, std::nullopt)
          .is_ok());
  ok("delete-chat", "{\"chatId\":\"" + first_chat + "\"}", w);
  BOOST_TEST(storage().events().chat_events("w", first_chat).value().empty());
}

BOOST_AUTO_TEST_CASE(delete_missing_chat_answers_false) {
  auto r = ok("delete-chat", R"({"chatId":"w"})", w);  // the compat test passes the world id
  BOOST_TEST(r.data_json == "false");
  BOOST_TEST(r.message == "Chat deleted");
  BOOST_TEST(r.broadcasts.empty());
  BOOST_TEST(ok("delete-chat", R"({"chatId":"x"})", std::string("nope")).data_json == "false");
  expect_error(run("delete-chat", "{}", w), "invalid_request", "Command execution failed: chatId is required");
}

BOOST_AUTO_TEST_CASE(select_chat_changes_current_and_emits_update_world_once) {
  add_message("w", first_chat, "h1", 1);
  ok("new-chat", "{}", w);
  auto r = ok("select-chat", "{\"chatId\":\"" + first_chat + "\"}", w);
  BOOST_TEST(r.message == "Chat 'New Chat' selected");
  BOOST_TEST(str(data(r), "currentChatId") == first_chat);
  BOOST_TEST(crud_ops(r) == (std::vector<std::string>{"update world"}));
  auto same = ok("select-chat", "{\"chatId\":\"" + first_chat + "\"}", w);
  BOOST_TEST(same.broadcasts.empty());
  expect_error(run("select-chat", R"({"chatId":"nope"})", w), "chat_not_found", "Chat 'nope' not found");
  expect_error(run("select-chat", R"({"chatId":"x"})", std::string("nope")), "world_not_found",
               "World 'nope' not found");
}

BOOST_AUTO_TEST_CASE(rename_chat_emits_update_chat) {
  auto r = ok("rename-chat", "{\"chatId\":\"" + first_chat + "\",\"name\":\"Planning\"}", w);
  BOOST_TEST(r.message == "Chat renamed to 'Planning'");
  auto d = data(r);
  BOOST_TEST(str(d, "id") == first_chat);
  BOOST_TEST(str(d, "name") == "Planning");
  BOOST_TEST(str(d, "worldId") == "w");
  BOOST_TEST(json::get_int(d, "messageCount").has_value());
  BOOST_TEST(crud_ops(r) == (std::vector<std::string>{"update chat"}));
  expect_error(run("rename-chat", "{\"chatId\":\"" + first_chat + "\",\"name\":\"\"}", w), "invalid_request",
               "Command execution failed: name must be 1 to 100 characters");
  expect_error(run("rename-chat", R"({"chatId":"nope","name":"x"})", w), "chat_not_found", "Chat 'nope' not found");
  // A renamed chat is no longer a reusable "New Chat".
  auto fresh = ok("new-chat", "{}", w);
  BOOST_TEST(str(data(fresh), "currentChatId") != first_chat);
}

BOOST_AUTO_TEST_CASE(get_chat_messages_pages_newest_first_returned_ascending) {
  for (int i = 1; i <= 5; ++i) add_message("w", first_chat, "m" + std::to_string(i), i * 10);
  auto r = ok("get-chat-messages", R"({"limit":2})", w);  // chatId defaults to the current chat
  BOOST_TEST(r.message == "Found 2 message(s)");
  auto d = data(r);
  BOOST_TEST(str(d, "chatId") == first_chat);
  BOOST_TEST(*json::get_int(d, "total") == 5);
  BOOST_TEST(*json::get_bool(d, "hasMore") == true);
  BOOST_TEST(*json::get_int(d, "nextBeforeSeq") == 40);
  BOOST_REQUIRE(d["messages"].Size() == 2u);
  BOOST_TEST(str(d["messages"][0], "messageId") == "m4");
  BOOST_TEST(*json::get_int(d["messages"][0], "seq") == 40);
  BOOST_TEST(str(d["messages"][0], "sender") == "human");
  BOOST_TEST(str(d["messages"][0], "content") == "content of m4");
  BOOST_TEST(str(d["messages"][1], "messageId") == "m5");

  auto last = data(ok("get-chat-messages", "{\"chatId\":\"" + first_chat + "\",\"limit\":5,\"beforeSeq\":20}", w));
  BOOST_REQUIRE(last["messages"].Size() == 1u);
  BOOST_TEST(*json::get_bool(last, "hasMore") == false);
  BOOST_TEST(!has(last, "nextBeforeSeq"));
  BOOST_TEST(data(ok("get-chat-messages", "{}", w))["messages"].Size() == 5u);  // default limit 50
}

BOOST_AUTO_TEST_CASE(get_chat_messages_errors) {
  expect_error(run("get-chat-messages", R"({"limit":0})", w), "invalid_request",
               "Command execution failed: limit must be an integer between 1 and 500");
  expect_error(run("get-chat-messages", R"({"limit":501})", w), "invalid_request",
               "Command execution failed: limit must be an integer between 1 and 500");
  expect_error(run("get-chat-messages", R"({"chatId":"nope"})", w), "chat_not_found", "Chat 'nope' not found");
  expect_error(run("get-chat-messages", "{}", std::string("nope")), "world_not_found", "World 'nope' not found");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::test
