// Tests of the durable `queued` ack in the session layer (GatewayService::on_durable, Session::send_when_durable):
// an ack waits for its ticket and everything later for its connection waits behind it, in order; other connections
// are not held; a failed sync turns the ack into `Failed to queue message`; waiting bytes have their own cap.
#include <boost/test/unit_test.hpp>

#include "tests/unit/gateway/session/service_fixture.h"

namespace aw::gateway::test {
namespace {

struct DurableAckFixture : ServiceFixture {
  DurableAckFixture() {
    core.next_snapshot.world_exists = true;
    core.next_enqueue.durable_at = 7;
  }
};

BOOST_FIXTURE_TEST_SUITE(durable_ack, DurableAckFixture)

BOOST_AUTO_TEST_CASE(the_ack_and_what_follows_wait_for_the_sync) {
  Conn sender = open();
  Conn watcher = open();
  send(sender, R"({"type":"subscribe","worldId":"w"})");
  send(watcher, R"({"type":"subscribe","worldId":"w"})");
  sender.transport->clear();
  watcher.transport->clear();

  send(sender, R"({"type":"message","worldId":"w","messageId":"m1","requestId":"r1"})");
  service().deliver_status(make_status("w", "m1", "processing"));
  service().deliver_persisted(make_event("w", std::nullopt, 5));
  send(sender, R"({"type":"command","worldId":"w","requestId":"r2","payload":{"command":"list-agents"}})");
  BOOST_TEST(sender.count() == 0u);
  BOOST_TEST(watcher.count() == 2u);  // only the sender's connection waits

  service().on_durable(6, true);  // an older ticket: still waiting
  BOOST_TEST(sender.count() == 0u);
  service().on_durable(7, true);
  BOOST_REQUIRE(sender.count() == 4u);
  BOOST_TEST(sender.status(0) == "queued");
  BOOST_TEST(str(sender.frame(0), "requestId") == "r1");
  BOOST_TEST(sender.status(1) == "processing");
  BOOST_TEST(json::get_int(sender.frame(2), "seq").value_or(0) == 5);
  BOOST_TEST(str(sender.frame(3), "requestId") == "r2");

  // Nothing waits any more: the next frame goes at once.
  service().deliver_status(make_status("w", "m1", "completed"));
  BOOST_TEST(sender.count() == 5u);
}

BOOST_AUTO_TEST_CASE(acks_are_released_ticket_by_ticket) {
  Conn sender = open();
  send(sender, R"({"type":"message","worldId":"w","messageId":"m1"})");
  core.next_enqueue.durable_at = 9;
  send(sender, R"({"type":"message","worldId":"w","messageId":"m2"})");
  service().on_durable(8, true);
  BOOST_REQUIRE(sender.count() == 1u);
  BOOST_TEST(str(sender.frame(0), "messageId") == "m1");
  service().on_durable(9, true);
  BOOST_REQUIRE(sender.count() == 2u);
  BOOST_TEST(str(sender.frame(1), "messageId") == "m2");
}

BOOST_AUTO_TEST_CASE(a_failed_sync_answers_failed_to_queue_message) {
  Conn sender = open();
  send(sender, R"({"type":"message","worldId":"w","messageId":"m1","requestId":"r1"})");
  service().deliver_status(make_status("w", "m1", "processing"));
  service().on_durable(7, false);
  BOOST_REQUIRE(sender.count() == 2u);
  BOOST_TEST(sender.type(0) == "error");
  BOOST_TEST(str(sender.frame(0), "code") == "internal");
  BOOST_TEST(str(sender.frame(0), "error") == "Failed to queue message");
  BOOST_TEST(str(sender.frame(0), "messageId") == "m1");
  BOOST_TEST(str(sender.frame(0), "requestId") == "r1");
  BOOST_TEST(sender.status(1) == "processing");
  BOOST_TEST(service().counters().errors_by_code.at("internal") == 1);
}

BOOST_AUTO_TEST_CASE(a_durable_enqueue_is_answered_at_once) {
  core.next_enqueue.durable_at = 0;
  Conn sender = open();
  send(sender, R"({"type":"message","worldId":"w","messageId":"m1"})");
  BOOST_REQUIRE(sender.count() == 1u);
  BOOST_TEST(sender.status(0) == "queued");
}

BOOST_AUTO_TEST_CASE(waiting_frames_may_take_four_times_the_outbound_cap) {
  options.session.max_outbound_bytes = 1000;
  Conn sender = open();
  send(sender, R"({"type":"subscribe","worldId":"w"})");
  sender.transport->clear();
  send(sender, R"({"type":"message","worldId":"w","messageId":"m1"})");
  Session* session = service().find_session(sender.id);
  BOOST_REQUIRE(session != nullptr);
  BOOST_TEST(session->awaits_durability());
  const std::string big(1500, 'x');  // over the cap, under four times it
  service().deliver_status(StatusBroadcast{"w", "m1", std::make_shared<const std::string>(big)});
  sender.transport->run_deferred();
  BOOST_TEST(!sender.transport->closed);
  for (int i = 0; i < 2; ++i) {
    service().deliver_status(StatusBroadcast{"w", "m1", std::make_shared<const std::string>(big)});
  }
  sender.transport->run_deferred();  // 4500 bytes wait: past 4 x 1000
  BOOST_TEST(sender.transport->closed);
  BOOST_TEST(sender.transport->close_code == kCloseSlowConsumer);
}

BOOST_AUTO_TEST_CASE(a_connection_closed_while_waiting_is_forgotten) {
  Conn sender = open();
  send(sender, R"({"type":"message","worldId":"w","messageId":"m1"})");
  BOOST_TEST(service().awaiting_durability_for_test() == 1u);
  service().on_closed(sender.id, 1000);
  BOOST_TEST(service().awaiting_durability_for_test() == 0u);
  service().on_durable(7, true);  // must not touch the closed session
  BOOST_TEST(sender.count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::test
