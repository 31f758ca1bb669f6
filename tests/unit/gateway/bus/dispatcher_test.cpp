// Dispatcher: credit, per-world exclusivity, order, dispatch timeout, accept/grant/deny, reject, leases, retries,
// dead letter and restart recovery (bus-protocol.md §3-§5, §8; ws-protocol.md §7.2).
#include <boost/test/unit_test.hpp>

#include "gateway/bus/retry_policy.h"
#include "tests/unit/gateway/bus/bus_fixture.h"

namespace aw::gateway::bus::test {

BOOST_FIXTURE_TEST_SUITE(bus_dispatcher, BusFixture)

BOOST_AUTO_TEST_CASE(no_processor_means_no_push_and_credit_limits_pushes) {
  create_world("w1");
  create_world("w2");
  create_world("w3");
  enqueue("w1", "m1");
  enqueue("w2", "m2");
  enqueue("w3", "m3");
  dispatcher->pump();
  BOOST_TEST(output.work.empty());
  hello("p1", 2);
  BOOST_TEST(std::holds_alternative<aw::bus::Welcome>(last_ctl()));
  BOOST_TEST(output.work.size() == 2u);             // two free slots, two outstanding pushes
  BOOST_TEST(item_state("w1", "m1") == "pending");  // dispatched is still pending in the database
}

BOOST_AUTO_TEST_CASE(incompatible_processor_gets_no_welcome_and_no_credit) {
  create_world("w1");
  enqueue("w1", "m1");
  dispatcher->on_hello(aw::bus::Hello{"p-old", 0, 0, 5});
  BOOST_TEST(output.ctl.empty());
  BOOST_TEST(output.work.empty());
  BOOST_TEST(registry->connected_count() == 0);
}

BOOST_AUTO_TEST_CASE(one_item_per_world_priority_then_age) {
  create_world("w1");
  enqueue("w1", "old");
  clock.now += 10;
  core->enqueue(EnqueueRequest{"w1", "urgent", std::nullopt, "x", "human", 5});
  hello("p1", 5);
  BOOST_REQUIRE(output.work.size() == 1u);  // one per world, despite five slots
  BOOST_TEST(work_at(0).run_id == "urgent");
  BOOST_TEST(work_at(0).attempt == 1);
}

BOOST_AUTO_TEST_CASE(max_running_caps_dispatched_plus_processing) {
  settings.max_running = 1;
  create_world("w1");
  create_world("w2");
  enqueue("w1", "m1");
  enqueue("w2", "m2");
  hello("p1", 5);
  BOOST_TEST(output.work.size() == 1u);
}

BOOST_AUTO_TEST_CASE(accept_is_granted_once_and_second_accept_denied) {
  std::string chat = create_world("w1");
  enqueue("w1", "m1");
  hello("p1", 1);
  auto w = work_at(0);
  BOOST_TEST(w.chat_id == chat);
  accept("p1", w);
  BOOST_TEST(std::holds_alternative<aw::bus::Grant>(last_ctl()));
  BOOST_TEST(item_state("w1", "m1") == "processing");
  BOOST_TEST(item("w1", "m1").attempt == 1);
  BOOST_TEST(*item("w1", "m1").lease_owner == "p1");
  BOOST_TEST(item("w1", "m1").trigger_published);
  BOOST_TEST(last_status() == "processing");
  BOOST_REQUIRE(output.events.size() == 1u);  // the trigger's message event
  BOOST_TEST(output.events[0].live_json->find("\"runId\":\"m1\"") != std::string::npos);
  accept("p2", w);
  BOOST_TEST(std::holds_alternative<aw::bus::Deny>(last_ctl()));
  BOOST_TEST(leases->size() == 1u);
}

BOOST_AUTO_TEST_CASE(dispatch_timeout_redispatches_with_new_id_and_late_accept_is_denied) {
  create_world("w1");
  enqueue("w1", "m1");
  hello("p1", 1);
  auto first = work_at(0);
  clock.now += settings.dispatch_timeout_ms;
  hb("p1", 1);
  dispatcher->tick();
  BOOST_REQUIRE(output.work.size() == 2u);
  auto second = work_at(1);
  BOOST_TEST(second.dispatch_id != first.dispatch_id);
  BOOST_TEST(second.attempt == 1);  // a timed-out dispatch does not count an attempt
  accept("p1", first);
  BOOST_TEST(std::holds_alternative<aw::bus::Deny>(last_ctl()));
  accept("p1", second);
  BOOST_TEST(std::holds_alternative<aw::bus::Grant>(last_ctl()));
}

BOOST_AUTO_TEST_CASE(reject_returns_item_to_pending_at_once) {
  create_world("w1");
  enqueue("w1", "m1");
  hello("p1", 1);
  auto w = work_at(0);
  dispatcher->on_reject(
      aw::bus::Reject{{"p1", w.world_id, w.run_id, w.attempt, w.dispatch_id}, aw::bus::RejectReason::Busy});
  BOOST_REQUIRE(output.work.size() == 2u);
  BOOST_TEST(work_at(1).dispatch_id != w.dispatch_id);
}

BOOST_AUTO_TEST_CASE(eagain_leaves_item_pending) {
  create_world("w1");
  enqueue("w1", "m1");
  output.accept_pushes = false;
  hello("p1", 1);
  BOOST_TEST(dispatcher->dispatched_count() == 0u);
  output.accept_pushes = true;
  dispatcher->pump();
  BOOST_TEST(dispatcher->dispatched_count() == 1u);
}

BOOST_AUTO_TEST_CASE(lease_renewed_by_hb_then_expiry_retries_with_backoff) {
  create_world("w1");
  enqueue("w1", "m1");
  hello("p1", 1);
  auto w = work_at(0);
  accept("p1", w);
  clock.now += settings.lease_ms() - 1;
  hb("p1", 0, {aw::bus::RunRef{"w1", "m1", 1}});
  clock.now += settings.lease_ms() - 1;
  dispatcher->tick();
  BOOST_TEST(item_state("w1", "m1") == "processing");  // renewed
  clock.now += 1;
  dispatcher->tick();
  auto it = item("w1", "m1");
  BOOST_TEST(it.state == "pending");
  BOOST_TEST(*it.error_code == "processor_lost");
  BOOST_TEST(*it.next_attempt_at == clock.now + settings.retry_base_ms);  // k = 1, no jitter
  BOOST_TEST(last_status() == "retrying");
  auto doc = parse(*output.statuses.back().json);
  BOOST_TEST(doc["payload"]["superseded"].GetBool());
  BOOST_TEST(doc["payload"]["nextAttempt"].GetInt() == 2);
}

BOOST_AUTO_TEST_CASE(hb_of_another_processor_does_not_renew) {
  create_world("w1");
  enqueue("w1", "m1");
  hello("p1", 1);
  accept("p1", work_at(0));
  hello("p2", 1);
  clock.now += settings.lease_ms() - 1;
  hb("p2", 1, {aw::bus::RunRef{"w1", "m1", 1}});
  clock.now += 1;
  dispatcher->tick();
  BOOST_TEST(item_state("w1", "m1") == "pending");
}

BOOST_AUTO_TEST_CASE(retry_delays_double_with_jitter_and_cap) {
  BusSettings s;
  FixedRandom r;
  r.value = 0.5;
  BOOST_TEST(retry_delay_ms(s, 1, r) == 2000);
  BOOST_TEST(retry_delay_ms(s, 3, r) == 8000);
  r.value = 0.0;
  BOOST_TEST(retry_delay_ms(s, 2, r) == 3200);  // -20 %
  r.value = 0.999999;
  BOOST_TEST(retry_delay_ms(s, 2, r) >= 4799);    // just under +20 %
  BOOST_TEST(retry_delay_ms(s, 10, r) == 60000);  // capped
  BOOST_TEST(failures_in_budget(s, 1, 4) == 1);
  BOOST_TEST(failures_in_budget(s, 3, 4) == 3);
  BOOST_TEST(failures_in_budget(s, 6, 8) == 2);  // after retry-failed at attempt 4
}

BOOST_AUTO_TEST_CASE(dead_letter_after_budget) {
  settings.max_retries = 0;
  create_world("w1");
  core->enqueue(EnqueueRequest{"w1", "m1", std::nullopt, "x", "human", 0});
  // The core set max_attempt from its own option; align it with this test's budget of one attempt.
  auto it = item("w1", "m1");
  it.max_attempt = 1;
  BOOST_REQUIRE(storage().queue().update(it).is_ok());
  hello("p1", 1);
  accept("p1", work_at(0));
  clock.now += settings.lease_ms();
  dispatcher->tick();
  BOOST_TEST(item_state("w1", "m1") == "failed");
  BOOST_TEST(last_status() == "failed");
  auto doc = parse(*output.statuses.back().json);
  BOOST_TEST(str(doc["payload"], "code") == "processor_lost");
  BOOST_TEST(doc["payload"]["superseded"].GetBool());
}

BOOST_AUTO_TEST_CASE(retried_item_waits_for_its_delay_then_runs_as_next_attempt) {
  create_world("w1");
  enqueue("w1", "m1");
  hello("p1", 1);
  accept("p1", work_at(0));
  clock.now += settings.lease_ms();
  dispatcher->tick();
  const std::size_t pushed = output.work.size();
  hb("p1", 1);
  BOOST_TEST(output.work.size() == pushed);  // not due yet
  clock.now += settings.retry_base_ms;
  hb("p1", 1);
  BOOST_REQUIRE(output.work.size() == pushed + 1);
  BOOST_TEST(work_at(pushed).attempt == 2);
  const std::size_t events_before = output.events.size();
  accept("p1", work_at(pushed));
  BOOST_TEST(output.events.size() == events_before);  // the trigger is not published again
}

// Found by the soak: the grant used to overwrite the item's chat with the run chat, so a repeated send without
// chatId was refused as message_id_conflict once the item was processing.
BOOST_AUTO_TEST_CASE(item_keeps_the_chat_it_was_sent_with_and_retries_in_its_first_run_chat) {
  const std::string first_chat = create_world("w1");
  enqueue("w1", "m1");  // no chatId
  hello("p1", 1);
  BOOST_TEST(work_at(0).chat_id == first_chat);
  accept("p1", work_at(0));
  BOOST_TEST(!item("w1", "m1").chat_id.has_value());

  EnqueueResult again = enqueue("w1", "m1");  // ws-protocol.md §7.3: the same message again
  BOOST_TEST(again.status.is_ok(), again.status.code());
  BOOST_TEST(again.duplicate);
  BOOST_TEST(again.state == "processing");
  BOOST_TEST(enqueue("w1", "m1", "hi", first_chat).status.code() == "message_id_conflict");

  ok("new-chat", "{}", std::string("w1"));  // another chat becomes current while the run is lost and retried
  clock.now += settings.lease_ms();
  dispatcher->tick();
  const std::size_t pushed = output.work.size();
  clock.now += settings.retry_base_ms;
  hb("p1", 1);
  BOOST_REQUIRE(output.work.size() == pushed + 1);
  BOOST_TEST(work_at(pushed).attempt == 2);
  BOOST_TEST(work_at(pushed).chat_id == first_chat);

  accept("p1", work_at(pushed));

  start_bus();  // a gateway restart recovers the lease with the run chat too
  BOOST_REQUIRE(dispatcher->recover().is_ok());
  BOOST_REQUIRE(leases->find("w1", "m1") != nullptr);
  BOOST_TEST(leases->find("w1", "m1")->chat_id == first_chat);

  // Dead-lettered, then requeued: the status names the run chat, which chat-scoped subscribers filter on.
  storage::QueueItemRecord failed = item("w1", "m1");
  failed.state = "failed";
  BOOST_REQUIRE(storage().queue().update(failed).is_ok());
  CommandResult retried = ok("retry-failed", R"({"messageId":"m1"})", std::string("w1"));
  BOOST_REQUIRE(retried.statuses.size() == 1u);
  auto status = parse(*retried.statuses[0].json);
  BOOST_TEST(str(status, "chatId") == first_chat);
}

BOOST_AUTO_TEST_CASE(restart_gives_processing_items_a_fresh_lease) {
  create_world("w1");
  enqueue("w1", "m1");
  hello("p1", 1);
  accept("p1", work_at(0));
  clock.now += settings.lease_ms() - 1;
  start_bus();  // gateway restart: in-memory state gone
  BOOST_TEST(leases->size() == 0u);
  BOOST_REQUIRE(dispatcher->recover().is_ok());
  BOOST_REQUIRE(leases->size() == 1u);
  const Lease* lease = leases->find("w1", "m1");
  BOOST_TEST(lease->owner == "p1");
  BOOST_TEST(lease->expires_at_ms == clock.now + settings.lease_ms());
  clock.now += 1;
  dispatcher->tick();
  BOOST_TEST(item_state("w1", "m1") == "processing");
  // A hb from the not-yet-welcomed owner is handled like a hello.
  hb("p1", 0, {aw::bus::RunRef{"w1", "m1", 1}});
  BOOST_TEST(std::holds_alternative<aw::bus::Welcome>(last_ctl()));
}

BOOST_AUTO_TEST_CASE(processor_connected_only_while_heard_within_lease) {
  hello("p1", 3);
  BOOST_TEST(registry->is_connected("p1"));
  BOOST_TEST(registry->free_slots() == 3);
  clock.now += settings.lease_ms();
  BOOST_TEST(!registry->is_connected("p1"));
  BOOST_TEST(registry->free_slots() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus::test
