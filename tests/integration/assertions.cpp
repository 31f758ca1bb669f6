// Shared protocol assertions (see assertions.h).
#include "tests/integration/assertions.h"

#include <boost/test/unit_test.hpp>

namespace aw::test {

CommandReply require_success(WsTestClient& client, const std::string& command, const JsonObject& params,
                             const std::optional<std::string>& world_id) {
  auto reply = run_command(client, command, params, world_id);
  AW_REQUIRE_OK(reply);
  BOOST_REQUIRE_MESSAGE(
      reply->ok(), "command " << command << " failed: " << (reply->error ? reply->error->text : reply->status.text));
  BOOST_TEST(str_of(reply->status, "payload.command") == command);
  BOOST_TEST(reply->status.int_at("timestamp").has_value());
  BOOST_TEST(!reply->error.has_value());
  return std::move(reply).value();
}

CommandReply require_failure(WsTestClient& client, const std::string& command, const JsonObject& params,
                             const std::optional<std::string>& world_id, const std::string& code,
                             const std::string& text) {
  auto reply = run_command(client, command, params, world_id);
  AW_REQUIRE_OK(reply);
  check_failure_reply(*reply, command, code, text);
  return std::move(reply).value();
}

void check_failure_reply(const CommandReply& reply, const std::string& command, const std::string& code,
                         const std::string& text) {
  BOOST_TEST_CONTEXT("command " << command << " -> " << reply.status.text) {
    BOOST_TEST(reply.status.status() == "error");
    BOOST_TEST(str_of(reply.status, "payload.command") == command);
    BOOST_TEST(str_of(reply.status, "payload.code") == code);
    BOOST_TEST(str_of(reply.status, "payload.message") == text);
    BOOST_TEST(str_of(reply.status, "requestId") == reply.request_id);
    BOOST_REQUIRE_MESSAGE(reply.error.has_value(), "no error frame before the status error frame");
    BOOST_TEST(reply.error_came_first);
    check_error_frame(*reply.error, code, text);
    BOOST_TEST(str_of(*reply.error, "requestId") == reply.request_id);
    BOOST_TEST(str_of(*reply.error, "command") == command);
  }
}

void check_error_frame(const Frame& frame, const std::string& code, const std::string& text) {
  BOOST_TEST_CONTEXT("error frame " << frame.text) {
    BOOST_TEST(frame.type() == "error");
    BOOST_TEST(str_of(frame, "error") == text);
    BOOST_TEST(str_of(frame, "code") == code);
    BOOST_TEST(frame.int_at("timestamp").has_value());
  }
}

Frame require_subscribed(WsTestClient& client, const std::string& world_id, const std::optional<std::string>& chat_id,
                         JsonObject extra) {
  auto ack = subscribe(client, world_id, chat_id, std::move(extra));
  AW_REQUIRE_OK(ack);
  BOOST_REQUIRE_MESSAGE(ack->type() == "status" && ack->status() == "subscribed",
                        "not a subscribed ack: " << ack->text);
  BOOST_TEST(str_of(*ack, "worldId") == world_id);
  BOOST_TEST(ack->int_at("payload.seq").has_value());
  return std::move(ack).value();
}

Frame require_crud(WsTestClient& client, const std::string& world_id, Millis timeout) {
  auto crud = client.wait_for(
      [&](const Frame& f) { return f.type() == "crud" && f.string_at("worldId").value_or("") == world_id; }, timeout);
  BOOST_REQUIRE_MESSAGE(crud.has_value(), "no crud frame for world " << world_id);
  return std::move(*crud);
}

std::string current_chat_id(WsTestClient& client, const std::string& world_id) {
  auto reply = require_success(client, "get-world", JsonObject(), world_id);
  auto chat = reply.data_string("currentChatId");
  BOOST_REQUIRE_MESSAGE(chat.has_value(), "get-world without currentChatId: " << reply.status.text);
  return *chat;
}

Frame require_queued(WsTestClient& client, const std::string& world_id, const std::string& message_id,
                     const std::string& content, JsonObject extra) {
  extra.set("type", "message").set("worldId", world_id).set("messageId", message_id);
  extra.set("payload", JsonObject().set("content", content));
  auto answer = request(client, std::move(extra));
  AW_REQUIRE_OK(answer);
  BOOST_REQUIRE_MESSAGE(answer->type() == "status" && answer->status() == "queued", "not queued: " << answer->text);
  BOOST_TEST(str_of(*answer, "messageId") == message_id);
  BOOST_TEST(str_of(*answer, "worldId") == world_id);
  return std::move(answer).value();
}

}  // namespace aw::test
