// The `message` frame and the durable queue (ws-protocol.md §4.5, §7, §11.9-10): queued answers with their echoes
// and warnings, idempotency (duplicate / message_id_conflict), world_not_found, the per-world pending cap. No
// processor runs in these tests, so every item stays pending (§7.1) and queue-status shows it.
#include <boost/test/unit_test.hpp>

#include "tests/integration/assertions.h"

namespace aw::test {
namespace {

constexpr int kPendingCap = 3;

struct QueueFixture : GatewayFixture {
  GatewayProcess& gateway = shared("queue", {{"AW_QUEUE_MAX_PENDING_PER_WORLD", std::to_string(kPendingCap)}});
  std::unique_ptr<WsTestClient> client = connect(gateway);
};

JsonObject message_frame(const std::string& world, const std::string& message_id) {
  return JsonObject().set("type", "message").set("worldId", world).set("messageId", message_id);
}

std::int64_t pending_of(WsTestClient& client, const std::string& world) {
  auto status = require_success(client, "queue-status", JsonObject(), world);
  if (status.data_array_size("worlds").value_or(0) == 0) return 0;
  return status.data_int("worlds.0.pending").value_or(-1);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(message_queue, QueueFixture)

BOOST_AUTO_TEST_CASE(message_is_queued_with_its_echoes) {
  AW_REQUIRE_OK(create_world(*client, "Queued World"));
  const std::string chat = current_chat_id(*client, "queued-world");
  auto queued = request(
      *client,
      message_frame("queued-world", "msg-1730000000000-k3j9x2")
          .set("chatId", chat)
          .set("payload", JsonObject().set("content", "Hello, agents!").set("sender", "human").set("priority", 0)));
  AW_REQUIRE_OK(queued);
  BOOST_TEST(queued->type() == "status");
  BOOST_TEST(queued->status() == "queued");
  BOOST_TEST(str_of(*queued, "worldId") == "queued-world");
  BOOST_TEST(str_of(*queued, "messageId") == "msg-1730000000000-k3j9x2");
  BOOST_TEST(str_of(*queued, "chatId") == chat);
  BOOST_TEST(queued->int_at("timestamp").has_value());
  BOOST_TEST(!queued->has("payload.duplicate"));
  BOOST_TEST(!queued->has("payload.warning"));
  BOOST_TEST(pending_of(*client, "queued-world") == 1);
}

BOOST_AUTO_TEST_CASE(queued_goes_to_the_sender_only) {
  AW_REQUIRE_OK(create_world(*client, "Sender Only World"));
  auto subscriber = connect(gateway);
  require_subscribed(*subscriber, "sender-only-world");
  require_queued(*client, "sender-only-world", "sender-only-1");
  // The subscriber's pong comes after anything the gateway sent it for the earlier message.
  BOOST_TEST(ping_pong(*subscriber));
  for (const Frame& f : subscriber->take_queued()) {
    BOOST_TEST(f.status() != "queued", "a subscriber received " << f.text);
  }
}

BOOST_AUTO_TEST_CASE(resending_the_same_message_is_a_duplicate) {
  AW_REQUIRE_OK(create_world(*client, "Duplicate Message World"));
  const std::string world = "duplicate-message-world";
  require_queued(*client, world, "dup-1", "same text");
  const Frame again = require_queued(*client, world, "dup-1", "same text");
  BOOST_TEST(bool_of(again, "payload.duplicate") == 1);
  BOOST_TEST(str_of(again, "payload.state") == "pending");
  // Defaults compare equal: absent sender, "" and "human" are the same sender.
  auto empty_sender =
      request(*client,
              message_frame(world, "dup-1").set("payload", JsonObject().set("content", "same text").set("sender", "")));
  AW_REQUIRE_OK(empty_sender);
  BOOST_TEST(empty_sender->status() == "queued");
  BOOST_TEST(bool_of(*empty_sender, "payload.duplicate") == 1);
  BOOST_TEST(pending_of(*client, world) == 1);  // nothing new was enqueued
}

BOOST_AUTO_TEST_CASE(reusing_an_id_for_another_message_is_a_conflict) {
  AW_REQUIRE_OK(create_world(*client, "Conflict World"));
  const std::string world = "conflict-world";
  require_queued(*client, world, "conflict-1", "first text");
  for (const JsonObject& frame :
       {message_frame(world, "conflict-1").set("payload", JsonObject().set("content", "other text")),
        message_frame(world, "conflict-1")
            .set("payload", JsonObject().set("content", "first text").set("sender", "bob")),
        message_frame(world, "conflict-1")
            .set("chatId", "chat-0-other")
            .set("payload", JsonObject().set("content", "first text"))}) {
    auto error = request(*client, frame);
    AW_REQUIRE_OK(error);
    check_error_frame(*error, "message_id_conflict", "Message 'conflict-1' was already used for a different message");
    BOOST_TEST(str_of(*error, "messageId") == "conflict-1");
    BOOST_TEST(str_of(*error, "worldId") == world);
  }
  BOOST_TEST(pending_of(*client, world) == 1);
  BOOST_TEST(ping_pong(*client));
}

BOOST_AUTO_TEST_CASE(message_to_a_missing_world_is_world_not_found) {
  auto error =
      request(*client, message_frame("no-such-queue-world", "lost-1").set("payload", JsonObject().set("content", "x")));
  AW_REQUIRE_OK(error);
  check_error_frame(*error, "world_not_found", "World 'no-such-queue-world' not found");
  BOOST_TEST(str_of(*error, "messageId") == "lost-1");
  BOOST_TEST(str_of(*error, "worldId") == "no-such-queue-world");
  // Nothing was enqueued: the gateway-wide queue status knows no such world.
  auto all = require_success(*client, "queue-status");
  BOOST_TEST(all.status.text.find("no-such-queue-world") == std::string::npos, all.status.text);
  // queue-status of that world is itself world_not_found (§8.3).
  require_failure(*client, "queue-status", JsonObject(), "no-such-queue-world", "world_not_found",
                  "World 'no-such-queue-world' not found");
  BOOST_TEST(ping_pong(*client));
}

BOOST_AUTO_TEST_CASE(null_payload_and_null_chat_are_accepted) {
  AW_REQUIRE_OK(create_world(*client, "Null Payload World"));
  auto queued = request(*client, message_frame("null-payload-world", "null-1").set_null("payload").set_null("chatId"));
  AW_REQUIRE_OK(queued);
  BOOST_TEST(queued->status() == "queued", queued->text);
  auto absent = request(*client, message_frame("null-payload-world", "null-2"));
  AW_REQUIRE_OK(absent);
  BOOST_TEST(absent->status() == "queued", absent->text);
  BOOST_TEST(client->is_open());
  BOOST_TEST(pending_of(*client, "null-payload-world") == 2);
}

BOOST_AUTO_TEST_CASE(bad_priority_and_unknown_chat_are_warnings) {
  AW_REQUIRE_OK(create_world(*client, "Warning World"));
  const std::string world = "warning-world";
  auto priority = request(
      *client, message_frame(world, "warn-1").set("payload", JsonObject().set("content", "x").set("priority", "high")));
  AW_REQUIRE_OK(priority);
  BOOST_TEST(priority->status() == "queued");
  BOOST_TEST(str_of(*priority, "payload.warning") == "priority must be an integer; 0 used");

  auto chat = request(
      *client, message_frame(world, "warn-2").set("chatId", world).set("payload", JsonObject().set("content", "y")));
  AW_REQUIRE_OK(chat);
  BOOST_TEST(chat->status() == "queued");
  BOOST_TEST(str_of(*chat, "chatId") == world);
  BOOST_TEST(str_of(*chat, "payload.warning") == "Chat 'warning-world' not found; the current chat will be used");

  auto both = request(*client, message_frame(world, "warn-3")
                                   .set("chatId", "chat-0-none")
                                   .set("payload", JsonObject().set("content", "z").set_raw("priority", "1.5")));
  AW_REQUIRE_OK(both);
  BOOST_TEST(both->status() == "queued");
  const std::string warning = str_of(*both, "payload.warning");
  BOOST_TEST(warning.find("Chat 'chat-0-none' not found; the current chat will be used") != std::string::npos);
  BOOST_TEST(warning.find("priority must be an integer; 0 used") != std::string::npos);
  BOOST_TEST(warning.find("; ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(world_id_is_echoed_as_received) {
  AW_REQUIRE_OK(create_world(*client, "Queue Echo World"));
  const Frame queued = require_queued(*client, "Queue Echo World", "echo-1");
  BOOST_TEST(str_of(queued, "worldId") == "Queue Echo World");
  BOOST_TEST(pending_of(*client, "queue-echo-world") == 1);
}

BOOST_AUTO_TEST_CASE(pending_cap_is_limit_exceeded) {
  AW_REQUIRE_OK(create_world(*client, "Full Queue World"));
  const std::string world = "full-queue-world";
  for (int i = 0; i < kPendingCap; ++i) require_queued(*client, world, "full-" + std::to_string(i));
  auto refused = request(*client, message_frame(world, "full-extra").set("payload", JsonObject().set("content", "x")));
  AW_REQUIRE_OK(refused);
  check_error_frame(*refused, "limit_exceeded", "Queue for world 'full-queue-world' is full");
  BOOST_TEST(pending_of(*client, world) == kPendingCap);
  // Another world has its own cap.
  AW_REQUIRE_OK(create_world(*client, "Roomy Queue World"));
  require_queued(*client, "roomy-queue-world", "roomy-1");
  // Cancelling frees a place.
  require_success(*client, "cancel-message", JsonObject().set("messageId", "full-0"), world);
  require_queued(*client, world, "full-after-cancel");
}

BOOST_AUTO_TEST_CASE(items_stay_pending_without_a_processor) {
  AW_REQUIRE_OK(create_world(*client, "Idle Queue World"));
  const std::string world = "idle-queue-world";
  require_queued(*client, world, "idle-1");
  require_queued(*client, world, "idle-2");
  auto status = require_success(*client, "queue-status", JsonObject(), world);
  BOOST_TEST(status.data_int("worlds.0.pending").value_or(-1) == 2);
  BOOST_TEST(status.data_int("worlds.0.processing").value_or(-1) == 0);
  BOOST_TEST(status.data_int("worlds.0.failed").value_or(-1) == 0);
  auto world_state = require_success(*client, "get-world", JsonObject(), world);
  BOOST_TEST(world_state.status.json_at("payload.data.isProcessing") == "false");
  // No lifecycle status arrives for an item nobody processes (checked briefly: proving an absence needs a wait).
  auto lifecycle = client->wait_for(
      [](const Frame& f) {
        const std::string s = f.status();
        return s == "processing" || s == "completed" || s == "failed" || s == "retrying";
      },
      Millis(300));
  BOOST_TEST(!lifecycle.has_value());
}

BOOST_AUTO_TEST_CASE(delete_world_fails_its_pending_items_for_their_sender) {
  AW_REQUIRE_OK(create_world(*client, "Vanishing Queue World"));
  const std::string world = "vanishing-queue-world";
  require_queued(*client, world, "vanish-1");
  auto other = connect(gateway);
  require_success(*other, "delete-world", JsonObject(), world);
  auto failed = client->wait_for(has_status("failed"));
  BOOST_REQUIRE_MESSAGE(failed.has_value(), "the sender got no failed status for its deleted world's item");
  BOOST_TEST(str_of(*failed, "messageId") == "vanish-1");
  BOOST_TEST(str_of(*failed, "payload.code") == "world_not_found");
  BOOST_TEST(str_of(*failed, "payload.error") == "World 'vanishing-queue-world' not found");
  BOOST_TEST(bool_of(*failed, "payload.willRetry") == 0);
}

BOOST_AUTO_TEST_CASE(the_queued_ack_comes_after_a_sync_of_the_write_ahead_log) {
  // The real binary syncs enqueues on its own thread (docs/architecture.md "Durable acks") and sends the ack only
  // once that sync has reported back, which /metrics counts first.
  AW_REQUIRE_OK(create_world(*client, "Synced World"));
  const double before = read_metric(gateway, "agentworld_wal_syncs_total", {}).value_or(-1);
  BOOST_REQUIRE(before >= 0);
  auto queued = request(*client, message_frame("synced-world", "synced-1"));
  AW_REQUIRE_OK(queued);
  BOOST_TEST(queued->status() == "queued");
  BOOST_TEST(read_metric(gateway, "agentworld_wal_syncs_total", {}).value_or(-1) >= before + 1);
  BOOST_TEST(read_metric(gateway, "agentworld_wal_sync_failures_total", {}).value_or(-1) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
