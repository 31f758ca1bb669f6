// Tests of enqueue (gateway/core/message_enqueue.cpp) and the queue commands (gateway/core/queue_commands.cpp).
#include <boost/test/unit_test.hpp>

#include "tests/unit/gateway/core/core_fixture.h"

namespace aw::gateway::test {
namespace {

struct QueueFixture : CoreFixture {
  QueueFixture() {
    options.queue_max_pending_per_world = 3;
    options.queue_max_retries = 3;
    reopen();
    chat = create_world("W");
  }
  std::string chat;
  const std::optional<std::string> w = std::string("w");

  void set_state(const std::string& message_id, const std::string& state, std::int64_t attempt = 1) {
    auto item = *storage().queue().find("w", message_id).value();
    item.state = state;
    item.attempt = attempt;
    if (state == "failed") {
      item.error = "Processing timeout - message was stuck";
      item.error_code = "processor_lost";
      item.finished_at = "2025-01-01T00:00:00.000Z";
    }
    BOOST_REQUIRE(storage().queue().update(item).is_ok());
  }
};

BOOST_FIXTURE_TEST_SUITE(queue_commands, QueueFixture)

BOOST_AUTO_TEST_CASE(enqueue_stores_a_pending_item) {
  EnqueueRequest req;
  req.world_id = "w";
  req.message_id = "m1";
  req.chat_id = chat;
  req.content = "Hello, agents!";
  req.sender = "";  // "" means human
  req.priority = 7;
  auto r = core->enqueue(req);
  BOOST_TEST(r.status.is_ok());
  BOOST_TEST(!r.duplicate);
  BOOST_TEST(r.chat_found);
  auto item = *storage().queue().find("w", "m1").value();
  BOOST_TEST(item.state == "pending");
  BOOST_TEST(item.attempt == 0);
  BOOST_TEST(item.max_attempt == 4);  // 1 + AW_QUEUE_MAX_RETRIES
  BOOST_TEST(item.sender == "human");
  BOOST_TEST(item.priority == 7);
  BOOST_TEST(item.content == "Hello, agents!");
  BOOST_TEST(*item.chat_id == chat);
  auto counts = core->queue_counts();
  BOOST_REQUIRE(counts.size() == 5u);
  BOOST_TEST(counts[0].first == "pending");
  BOOST_TEST(counts[0].second == 1);
}

BOOST_AUTO_TEST_CASE(enqueue_leaves_synchronous_normal_afterwards) {
  BOOST_REQUIRE(enqueue("w", "m1").status.is_ok());
  auto stmt = storage().db().prepare("PRAGMA synchronous");
  BOOST_REQUIRE(stmt.is_ok());
  BOOST_REQUIRE(stmt->step().value());
  BOOST_TEST(stmt->integer(0) == 1);  // NORMAL
}

BOOST_AUTO_TEST_CASE(enqueue_into_missing_world_fails) {
  auto r = enqueue("nope", "m1");
  BOOST_TEST(r.status.code() == "world_not_found");
  BOOST_TEST(r.status.message() == "World 'nope' not found");
  BOOST_TEST(!storage().queue().find("nope", "m1").value().has_value());
}

BOOST_AUTO_TEST_CASE(enqueue_with_unknown_chat_warns) {
  auto r = enqueue("w", "m1", "hi", std::string("w"));  // the compat test sends the world id as chat
  BOOST_TEST(r.status.is_ok());
  BOOST_TEST(!r.chat_found);
  BOOST_TEST(enqueue("w", "m2", "hi", std::nullopt).chat_found);
}

BOOST_AUTO_TEST_CASE(same_message_twice_is_a_duplicate_with_state) {
  BOOST_REQUIRE(enqueue("w", "m1", "hi", chat).status.is_ok());
  auto again = enqueue("w", "m1", "hi", chat);
  BOOST_TEST(again.status.is_ok());
  BOOST_TEST(again.duplicate);
  BOOST_TEST(again.state == "pending");
  set_state("m1", "completed");
  BOOST_TEST(enqueue("w", "m1", "hi", chat).state == "completed");
  BOOST_TEST(core->queue_counts()[0].second == 0);  // nothing new enqueued
}

BOOST_AUTO_TEST_CASE(same_message_id_for_another_message_is_a_conflict) {
  BOOST_REQUIRE(enqueue("w", "m1", "hi", chat).status.is_ok());
  for (auto r : {enqueue("w", "m1", "other", chat), enqueue("w", "m1", "hi", std::nullopt)}) {
    BOOST_TEST(r.status.code() == "message_id_conflict");
    BOOST_TEST(r.status.message() == "Message 'm1' was already used for a different message");
  }
  EnqueueRequest other_sender;
  other_sender.world_id = "w";
  other_sender.message_id = "m1";
  other_sender.content = "hi";
  other_sender.chat_id = chat;
  other_sender.sender = "alice";
  BOOST_TEST(core->enqueue(other_sender).status.code() == "message_id_conflict");
  BOOST_TEST(storage().queue().find("w", "m1").value()->content == "hi");
}

BOOST_AUTO_TEST_CASE(pending_cap_refuses_new_messages_but_not_duplicates) {
  for (int i = 0; i < 3; ++i) BOOST_REQUIRE(enqueue("w", "m" + std::to_string(i)).status.is_ok());
  auto full = enqueue("w", "m9");
  BOOST_TEST(full.status.code() == "limit_exceeded");
  BOOST_TEST(full.status.message() == "Queue for world 'w' is full");
  BOOST_TEST(enqueue("w", "m0").duplicate);
  set_state("m0", "processing");
  BOOST_TEST(enqueue("w", "m9").status.is_ok());  // only pending items count
}

BOOST_AUTO_TEST_CASE(cancel_pending_message_cancels_and_reports_failed) {
  BOOST_REQUIRE(enqueue("w", "m1", "hi", chat).status.is_ok());
  auto r = ok("cancel-message", R"({"messageId":"m1"})", w);
  BOOST_TEST(r.message == "Message cancelled");
  auto d = data(r);
  BOOST_TEST(str(d, "messageId") == "m1");
  BOOST_TEST(*json::get_bool(d, "cancelled") == true);
  BOOST_TEST(str(d, "state") == "cancelled");
  auto item = *storage().queue().find("w", "m1").value();
  BOOST_TEST(item.state == "cancelled");
  BOOST_TEST(*item.error_code == "cancelled");
  BOOST_TEST(item.finished_at.has_value());
  BOOST_REQUIRE(r.statuses.size() == 1u);
  BOOST_TEST(*r.statuses[0].message_id == "m1");
  auto s = parse(*r.statuses[0].json);
  BOOST_TEST(str(s, "type") == "status");
  BOOST_TEST(str(s, "worldId") == "w");
  BOOST_TEST(str(s, "messageId") == "m1");
  BOOST_TEST(str(s, "chatId") == chat);
  BOOST_TEST(str(s["payload"], "status") == "failed");
  BOOST_TEST(str(s["payload"], "code") == "cancelled");
  BOOST_TEST(str(s["payload"], "error") == "Cancelled");
  BOOST_TEST(*json::get_bool(s["payload"], "cancelled") == true);
  BOOST_TEST(*json::get_bool(s["payload"], "willRetry") == false);
  BOOST_TEST(*json::get_int(s["payload"], "attempt") == 0);
  BOOST_TEST(json::get_int(s, "timestamp").has_value());

  auto again = ok("cancel-message", R"({"messageId":"m1"})", w);
  BOOST_TEST(again.message == "Message already cancelled");
  BOOST_TEST(*json::get_bool(data(again), "cancelled") == false);
  BOOST_TEST(again.statuses.empty());
}

BOOST_AUTO_TEST_CASE(cancel_processing_message_is_accepted) {
  BOOST_REQUIRE(enqueue("w", "m1").status.is_ok());
  set_state("m1", "processing");
  auto r = ok("cancel-message", R"({"messageId":"m1"})", w);
  BOOST_TEST(r.message == "Message cancelled");
  BOOST_TEST(*json::get_bool(data(r), "cancelled") == true);
  BOOST_TEST(str(data(r), "state") == "processing");
}

BOOST_AUTO_TEST_CASE(cancel_message_errors) {
  expect_error(run("cancel-message", R"({"messageId":"zz"})", w), "message_not_found", "Message 'zz' not found");
  expect_error(run("cancel-message", R"({"messageId":"zz"})", std::string("nope")), "world_not_found",
               "World 'nope' not found");
  expect_error(run("cancel-message", R"({})", w), "invalid_request", "Command execution failed: messageId is required");
}

BOOST_AUTO_TEST_CASE(queue_status_counts_per_world) {
  create_world("Other");
  BOOST_REQUIRE(enqueue("w", "m1").status.is_ok());
  BOOST_REQUIRE(enqueue("w", "m2").status.is_ok());
  set_state("m2", "failed");
  auto r = ok("queue-status");
  BOOST_TEST(r.message == "Queue status for 2 world(s)");
  auto d = data(r);
  BOOST_REQUIRE(d["worlds"].Size() == 2u);
  const auto& first = d["worlds"][0];
  BOOST_TEST(str(first, "worldId") == "w");
  BOOST_TEST(*json::get_int(first, "pending") == 1);
  BOOST_TEST(*json::get_int(first, "processing") == 0);
  BOOST_TEST(*json::get_int(first, "failed") == 1);
  BOOST_TEST(parse_iso8601_ms(str(first, "oldestPendingAt")).has_value());
  BOOST_TEST(!has(d["worlds"][1], "oldestPendingAt"));
  auto one = ok("queue-status", "{}", w);
  BOOST_TEST(one.message == "Queue status for 1 world(s)");
  expect_error(run("queue-status", "{}", std::string("nope")), "world_not_found", "World 'nope' not found");
  Principal scoped;
  scoped.worlds = {"other"};
  BOOST_TEST(run("queue-status", "{}", std::nullopt, &scoped).message == "Queue status for 1 world(s)");
}

BOOST_AUTO_TEST_CASE(list_failed_returns_queue_items) {
  BOOST_REQUIRE(enqueue("w", "m1", "hello", chat).status.is_ok());
  BOOST_REQUIRE(enqueue("w", "m2").status.is_ok());
  set_state("m1", "failed", 4);
  auto r = ok("list-failed");
  BOOST_TEST(r.message == "Found 1 failed message(s)");
  auto d = data(r);
  BOOST_REQUIRE(d.Size() == 1u);
  const auto& item = d[0];
  BOOST_TEST(str(item, "worldId") == "w");
  BOOST_TEST(str(item, "messageId") == "m1");
  BOOST_TEST(str(item, "chatId") == chat);
  BOOST_TEST(str(item, "sender") == "human");
  BOOST_TEST(str(item, "content") == "hello");
  BOOST_TEST(*json::get_int(item, "priority") == 0);
  BOOST_TEST(str(item, "state") == "failed");
  BOOST_TEST(*json::get_int(item, "attempt") == 4);
  BOOST_TEST(str(item, "error") == "Processing timeout - message was stuck");
  BOOST_TEST(str(item, "code") == "processor_lost");
  BOOST_TEST(parse_iso8601_ms(str(item, "createdAt")).has_value());
  BOOST_TEST(str(item, "finishedAt") == "2025-01-01T00:00:00.000Z");
  BOOST_TEST(data(ok("list-failed", "{}", w)).Size() == 1u);
  Principal scoped;
  scoped.worlds = {"elsewhere"};
  BOOST_TEST(run("list-failed", "{}", std::nullopt, &scoped).data_json == "[]");
  expect_error(run("list-failed", R"({"limit":0})"), "invalid_request",
               "Command execution failed: limit must be an integer >= 1");
}

BOOST_AUTO_TEST_CASE(retry_failed_requeues_with_a_fresh_budget) {
  BOOST_REQUIRE(enqueue("w", "m1", "hi", chat).status.is_ok());
  BOOST_REQUIRE(enqueue("w", "m2").status.is_ok());
  BOOST_REQUIRE(enqueue("w", "m3").status.is_ok());
  set_state("m1", "failed", 4);
  set_state("m2", "failed", 2);
  auto one = ok("retry-failed", R"({"messageId":"m1"})", w);
  BOOST_TEST(one.message == "Requeued 1 message(s)");
  BOOST_TEST(one.data_json == R"({"requeued":["m1"]})");
  auto item = *storage().queue().find("w", "m1").value();
  BOOST_TEST(item.state == "pending");
  BOOST_TEST(item.attempt == 4);      // attempt numbers continue
  BOOST_TEST(item.max_attempt == 8);  // next attempt 5 + 3 retries
  BOOST_TEST(!item.error.has_value());
  BOOST_TEST(!item.finished_at.has_value());
  BOOST_REQUIRE(one.statuses.size() == 1u);
  auto s = parse(*one.statuses[0].json);
  BOOST_TEST(str(s["payload"], "status") == "queued");
  BOOST_TEST(*json::get_bool(s["payload"], "retried") == true);
  BOOST_TEST(str(s, "messageId") == "m1");
  BOOST_TEST(str(s, "chatId") == chat);

  expect_error(run("retry-failed", R"({"messageId":"m3"})", w), "invalid_request",
               "Message 'm3' is not in failed state");
  expect_error(run("retry-failed", R"({"messageId":"zz"})", w), "message_not_found", "Message 'zz' not found");
  auto all = ok("retry-failed", "{}", w);
  BOOST_TEST(all.message == "Requeued 1 message(s)");
  BOOST_TEST(all.data_json == R"({"requeued":["m2"]})");
  BOOST_TEST(ok("retry-failed", "{}", w).message == "Requeued 0 message(s)");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::test
