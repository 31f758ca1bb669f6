// GatewayService over a fake core: ping, bad input, subscribe (ack, replay, replay-complete, held live frames),
// unsubscribe, message, lifecycle routing (ws-protocol.md §2, §4.1–§4.5, §5.1).
#include <boost/test/unit_test.hpp>

#include "tests/unit/gateway/session/service_fixture.h"

namespace aw::gateway {

using test::Conn;
using test::make_event;
using test::make_status;

BOOST_FIXTURE_TEST_SUITE(gateway_service, test::ServiceFixture)

BOOST_AUTO_TEST_CASE(ping_is_answered_with_pong) {
  Conn c = open();
  send(c, R"({"type":"ping","requestId":"p1"})");
  BOOST_REQUIRE(c.count() == 1u);
  auto d = c.frame(0);
  BOOST_TEST(str(d, "type") == "pong");
  BOOST_TEST(str(d, "requestId") == "p1");
  BOOST_TEST(json::get_int(d, "timestamp").has_value());
}

BOOST_AUTO_TEST_CASE(bad_input_gets_an_error_and_the_connection_stays_open) {
  Conn c = open();
  send(c, "garbage");
  send(c, R"({"type":"dance"})");
  BOOST_REQUIRE(c.count() == 2u);
  BOOST_TEST(str(c.frame(0), "code") == "bad_json");
  BOOST_TEST(str(c.frame(0), "error") == "Invalid message format");
  BOOST_TEST(str(c.frame(1), "error") == "Unknown message type: dance");
  BOOST_TEST(!c.transport->closed);
  BOOST_TEST(service().counters().errors_by_code.at("bad_json") == 1);
  BOOST_TEST(service().counters().frames_in_by_type.at("invalid") == 2);
}

BOOST_AUTO_TEST_CASE(subscribe_ack_echoes_the_raw_world_and_core_sees_the_canonical_one) {
  core.next_snapshot.world_exists = true;
  core.next_snapshot.latest_seq = 57;
  core.next_snapshot.epoch = "Zx81";
  Conn c = open();
  send(c, R"({"type":"subscribe","worldId":"My World","chatId":"chat-1","requestId":"r1"})");
  BOOST_REQUIRE(core.subscribes.size() == 1u);
  BOOST_TEST(core.subscribes[0].world_id == "my-world");
  BOOST_REQUIRE(c.count() == 1u);
  auto ack = c.frame(0);
  BOOST_TEST(str(ack, "worldId") == "My World");
  BOOST_TEST(str(ack, "chatId") == "chat-1");
  BOOST_TEST(str(ack, "requestId") == "r1");
  BOOST_TEST(str(payload(ack), "status") == "subscribed");
  BOOST_TEST(json::get_int(payload(ack), "seq").value_or(0) == 57);
  BOOST_TEST(json::get_int(payload(ack), "latestSeq").value_or(0) == 57);
  BOOST_TEST(str(payload(ack), "epoch") == "Zx81");
  BOOST_TEST(!json::get_bool(payload(ack), "recovered").value_or(true));  // no seq sent
  BOOST_TEST(json::get_int(payload(ack), "replayCount").value_or(-1) == 0);
  BOOST_TEST(json::find(payload(ack), "warning") == nullptr);
  BOOST_TEST(service().subscribed_world_count() == 1u);
}

BOOST_AUTO_TEST_CASE(subscribe_to_an_unknown_world_is_accepted_with_a_warning) {
  Conn c = open();
  send(c, R"({"type":"subscribe","worldId":"nowhere","fromSeq":5})");
  auto ack = c.frame(0);
  BOOST_TEST(str(payload(ack), "warning") == "World 'nowhere' not found");
  BOOST_TEST(json::find(payload(ack), "epoch") == nullptr);
  BOOST_TEST(json::get_int(payload(ack), "seq").value_or(-1) == 0);
  BOOST_TEST(!json::get_bool(payload(ack), "recovered").value_or(true));
  // A last seq was sent, so a replay-complete (recovered:false) closes the (empty) replay.
  BOOST_REQUIRE(c.count() == 2u);
  BOOST_TEST(c.status(1) == "replay-complete");
  // The subscription delivers the world's frames once it exists.
  service().deliver_persisted(make_event("nowhere", std::string("c1"), 1));
  BOOST_TEST(c.count() == 3u);
}

BOOST_AUTO_TEST_CASE(subscribe_to_an_unknown_chat_receives_the_whole_world) {
  core.next_snapshot.world_exists = true;
  core.next_snapshot.chat_exists = false;
  Conn c = open();
  send(c, R"({"type":"subscribe","worldId":"w","chatId":"w"})");
  BOOST_TEST(str(payload(c.frame(0)), "warning") == "Chat 'w' not found; receiving the whole world");
  service().deliver_persisted(make_event("w", std::string("chat-9"), 3));
  BOOST_TEST(c.count() == 2u);
}

BOOST_AUTO_TEST_CASE(subscribe_replays_after_the_ack_then_replay_complete) {
  core.next_snapshot.world_exists = true;
  core.next_snapshot.latest_seq = 12;
  core.next_snapshot.epoch = "E";
  core.next_snapshot.recovered = true;
  core.next_snapshot.replay = {make_event("w", std::nullopt, 11, true), make_event("w", std::nullopt, 12, true)};
  Conn c = open();
  send(c, R"({"type":"subscribe","worldId":"w","fromSeq":10,"requestId":7})");
  BOOST_TEST(core.subscribes[0].last_seq.value_or(0) == 10u);
  BOOST_REQUIRE(c.count() == 4u);
  BOOST_TEST(c.status(0) == "subscribed");
  BOOST_TEST(json::get_bool(payload(c.frame(0)), "recovered").value_or(false));
  BOOST_TEST(json::get_int(payload(c.frame(0)), "replayCount").value_or(0) == 2);
  BOOST_TEST(json::get_int(c.frame(1), "seq").value_or(0) == 11);
  BOOST_TEST(json::get_bool(c.frame(1), "historical").value_or(false));
  BOOST_TEST(json::get_int(c.frame(2), "seq").value_or(0) == 12);
  auto rc = c.frame(3);
  BOOST_TEST(c.status(3) == "replay-complete");
  BOOST_TEST(json::get_int(rc, "requestId").value_or(0) == 7);
  BOOST_TEST(json::get_int(payload(rc), "replayed").value_or(0) == 2);
  BOOST_TEST(json::get_int(payload(rc), "seq").value_or(0) == 12);
}

BOOST_AUTO_TEST_CASE(live_frames_wait_behind_a_replay_that_waits_for_the_socket) {
  core.next_snapshot.world_exists = true;
  core.next_snapshot.latest_seq = 2;
  core.next_snapshot.recovered = true;
  core.next_snapshot.replay = {make_event("w", std::nullopt, 1, true), make_event("w", std::nullopt, 2, true)};
  Conn c = open();
  // The socket is 600 KiB behind: the replay (paced to half of 1 MiB) must wait after the ack.
  c.transport->buffered = 600 * 1024;
  send(c, R"({"type":"subscribe","worldId":"w","seq":"beginning"})");
  BOOST_TEST(c.count() == 1u);
  BOOST_TEST(service().has_pending_replays());
  service().deliver_persisted(make_event("w", std::nullopt, 3));
  service().deliver_status(make_status("w", "m1", "processing"));
  BOOST_TEST(c.count() == 1u);  // held
  // Another frame of this connection is still answered at once (§1): replays do not block direct responses.
  send(c, R"({"type":"ping"})");
  BOOST_TEST(c.type(1) == "pong");
  c.transport->buffered = 0;
  service().pump_replays();
  BOOST_TEST(!service().has_pending_replays());
  BOOST_REQUIRE(c.count() == 7u);
  BOOST_TEST(json::get_int(c.frame(2), "seq").value_or(0) == 1);
  BOOST_TEST(json::get_int(c.frame(3), "seq").value_or(0) == 2);
  BOOST_TEST(c.status(4) == "replay-complete");
  BOOST_TEST(json::get_int(c.frame(5), "seq").value_or(0) == 3);
  BOOST_TEST(c.status(6) == "processing");
}

BOOST_AUTO_TEST_CASE(transient_frames_held_during_a_replay_are_not_taken_for_replayed_ones) {
  core.next_snapshot.world_exists = true;
  core.next_snapshot.latest_seq = 5;
  core.next_snapshot.recovered = true;
  core.next_snapshot.replay = {make_event("w", std::nullopt, 5, true)};
  Conn c = open();
  c.transport->buffered = 600 * 1024;
  send(c, R"({"type":"subscribe","worldId":"w","fromSeq":4})");
  PersistedFrame chunk = make_event("w", std::nullopt, 0);  // seq 0: a transient sse chunk
  service().deliver_persisted(chunk);
  c.transport->buffered = 0;
  service().pump_replays();
  BOOST_REQUIRE(c.count() == 4u);  // ack, seq 5, replay-complete, the chunk
  BOOST_TEST(c.transport->sent[3].get() == chunk.live_json.get());
}

BOOST_AUTO_TEST_CASE(subscription_limit_refuses_new_keys_only) {
  Conn c = open();
  for (int i = 0; i < 4; ++i) send(c, R"({"type":"subscribe","worldId":"w)" + std::to_string(i) + R"("})");
  send(c, R"({"type":"subscribe","worldId":"w9","requestId":"r"})");
  auto err = c.last();
  BOOST_TEST(str(err, "code") == "limit_exceeded");
  BOOST_TEST(str(err, "error") == "Too many subscriptions");
  BOOST_TEST(str(err, "requestId") == "r");
  send(c, R"({"type":"subscribe","worldId":"w0"})");  // replacing a key is not a new subscription
  BOOST_TEST(c.status(c.count() - 1) == "subscribed");
  BOOST_TEST(service().counters().subscriptions == 4);
}

BOOST_AUTO_TEST_CASE(unsubscribe_variants_answer_with_removed) {
  Conn c = open();
  send(c, R"({"type":"subscribe","worldId":"w"})");
  send(c, R"({"type":"subscribe","worldId":"w","chatId":"c1"})");
  send(c, R"({"type":"subscribe","worldId":"x"})");
  c.transport->clear();
  send(c, R"({"type":"unsubscribe","worldId":"w:c1","requestId":"u1"})");
  BOOST_TEST(str(c.frame(0), "worldId") == "w:c1");
  BOOST_TEST(json::get_int(payload(c.frame(0)), "removed").value_or(-1) == 1);
  send(c, R"({"type":"unsubscribe","worldId":"nothing","chatId":"c"})");
  BOOST_TEST(json::get_int(payload(c.frame(1)), "removed").value_or(-1) == 0);
  BOOST_TEST(str(c.frame(1), "chatId") == "c");
  send(c, R"({"type":"unsubscribe"})");
  BOOST_TEST(json::get_int(payload(c.frame(2)), "removed").value_or(-1) == 2);
  BOOST_TEST(json::find(c.frame(2), "worldId") == nullptr);
  BOOST_TEST(service().subscribed_world_count() == 0u);
  BOOST_TEST(service().counters().subscriptions == 0);
}

BOOST_AUTO_TEST_CASE(message_is_queued_to_the_sender_only) {
  Conn sender = open();
  Conn watcher = open();
  send(watcher, R"({"type":"subscribe","worldId":"w"})");
  watcher.transport->clear();
  send(sender, R"({"type":"message","worldId":"W","messageId":"m1","chatId":"c1","requestId":"r3",)"
               R"("payload":{"content":"hi","priority":"urgent"}})");
  BOOST_REQUIRE(core.enqueued.size() == 1u);
  BOOST_TEST(core.enqueued[0].world_id == "w");
  BOOST_TEST(core.enqueued[0].content == "hi");
  BOOST_REQUIRE(sender.count() == 1u);
  auto q = sender.frame(0);
  BOOST_TEST(str(q, "worldId") == "W");
  BOOST_TEST(str(q, "messageId") == "m1");
  BOOST_TEST(str(q, "chatId") == "c1");
  BOOST_TEST(str(q, "requestId") == "r3");
  BOOST_TEST(str(payload(q), "status") == "queued");
  BOOST_TEST(str(payload(q), "warning") == "priority must be an integer; 0 used");
  BOOST_TEST(watcher.count() == 0u);
}

BOOST_AUTO_TEST_CASE(message_warnings_are_joined_and_duplicates_flagged) {
  core.next_enqueue.chat_found = false;
  core.next_enqueue.duplicate = true;
  core.next_enqueue.state = "completed";
  Conn c = open();
  send(c, R"({"type":"message","worldId":"w","messageId":"m1","chatId":"ghost","payload":{"priority":[]}})");
  auto q = c.frame(0);
  BOOST_TEST(str(payload(q), "warning") ==
             "Chat 'ghost' not found; the current chat will be used; priority must be an integer; 0 used");
  BOOST_TEST(json::get_bool(payload(q), "duplicate").value_or(false));
  BOOST_TEST(str(payload(q), "state") == "completed");
}

BOOST_AUTO_TEST_CASE(message_failures_become_error_frames) {
  Conn c = open();
  core.next_enqueue.status = Status::error("world_not_found", "World 'w' not found");
  send(c, R"({"type":"message","worldId":"w","messageId":"m1","requestId":"a"})");
  core.next_enqueue.status = Status::internal("disk I/O error");
  send(c, R"({"type":"message","worldId":"w","messageId":"m2"})");
  BOOST_REQUIRE(c.count() == 2u);
  BOOST_TEST(str(c.frame(0), "code") == "world_not_found");
  BOOST_TEST(str(c.frame(0), "error") == "World 'w' not found");
  BOOST_TEST(str(c.frame(0), "messageId") == "m1");
  BOOST_TEST(str(c.frame(0), "requestId") == "a");
  BOOST_TEST(str(c.frame(1), "code") == "internal");
  BOOST_TEST(str(c.frame(1), "error") == "Failed to queue message");
}

BOOST_AUTO_TEST_CASE(lifecycle_reaches_subscribers_and_the_origin_once) {
  Conn origin = open();
  Conn chat_watcher = open();
  Conn stranger = open();
  core.next_snapshot.world_exists = true;
  send(chat_watcher, R"({"type":"subscribe","worldId":"w","chatId":"c1"})");
  send(origin, R"({"type":"subscribe","worldId":"w","chatId":"c2"})");
  send(origin, R"({"type":"message","worldId":"w","messageId":"m1"})");
  origin.transport->clear();
  chat_watcher.transport->clear();

  service().deliver_status(make_status("w", "m1", "processing"));
  BOOST_TEST(origin.count() == 1u);
  BOOST_TEST(chat_watcher.count() == 1u);  // regardless of the chat filter
  BOOST_TEST(stranger.count() == 0u);

  // The origin keeps getting them without a subscription, until the terminal status.
  send(origin, R"({"type":"unsubscribe"})");
  origin.transport->clear();
  service().deliver_status(make_status("w", "m1", "completed"));
  BOOST_TEST(origin.count() == 1u);
  BOOST_TEST(service().origins_for_test().size() == 0u);
}

BOOST_AUTO_TEST_CASE(closing_forgets_the_connection) {
  Conn c = open();
  send(c, R"({"type":"subscribe","worldId":"w"})");
  send(c, R"({"type":"message","worldId":"w","messageId":"m1"})");
  BOOST_TEST(service().connection_count() == 1u);
  service().on_closed(c.id, 1000);
  BOOST_TEST(service().connection_count() == 0u);
  BOOST_TEST(service().subscribed_world_count() == 0u);
  BOOST_TEST(service().origins_for_test().size() == 0u);
  BOOST_TEST(service().counters().closes_by_code.at(1000) == 1);
  BOOST_TEST(service().counters().subscriptions == 0);
  service().deliver_status(make_status("w", "m1", "processing"));  // must not touch the closed session
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
