// The gateway's side of the bus against a scripted processor (bus-protocol.md §3-§8, §13): handshake and versions,
// durable queueing without processors, accept/grant, fenced events, commits and their acks, lease expiry and
// retry, dispatch timeout, cancel propagation, dead letter and retry-failed.
#include <boost/test/unit_test.hpp>

#include "tests/integration/bus/support/bus_fixture.h"

namespace aw::test {
namespace {

using namespace aw::bus;

std::function<bool(const BusMessage&)> is_grant(const std::string& dispatch_id) {
  return [dispatch_id](const BusMessage& m) {
    const auto* g = as<Grant>(m);
    return g != nullptr && g->dispatch_id == dispatch_id;
  };
}

std::function<bool(const BusMessage&)> is_deny(const std::string& dispatch_id) {
  return [dispatch_id](const BusMessage& m) {
    const auto* d = as<Deny>(m);
    return d != nullptr && d->run.dispatch_id == dispatch_id;
  };
}

std::function<bool(const BusMessage&)> is_ack(std::int64_t attempt) {
  return [attempt](const BusMessage& m) {
    const auto* a = as<CommitAck>(m);
    return a != nullptr && a->attempt == attempt;
  };
}

std::function<bool(const BusMessage&)> is_cancel(CancelReason reason) {
  return [reason](const BusMessage& m) {
    const auto* c = as<Cancel>(m);
    return c != nullptr && c->reason == reason;
  };
}

// Reads a work item, accepts it and waits for its grant; the run is then listed in the processor's hb.
Work run_granted(ScriptedProcessor& p, Millis timeout = Millis(5000)) {
  auto work = p.next_work(timeout);
  BOOST_REQUIRE(work.has_value());
  p.accept(*work);
  BOOST_REQUIRE(p.wait_ctl(is_grant(work->dispatch_id)).has_value());
  p.set_runs({RunRef{work->world_id, work->run_id, work->attempt}});
  p.set_slots(0);
  p.heartbeat();
  return *work;
}

std::string message_payload(const std::string& id, const std::string& chat, const std::string& content,
                            const std::string& reply_to) {
  return R"({"sender":"a1","content":")" + content + R"(","timestamp":"2026-01-01T00:00:01.000Z","messageId":")" + id +
         R"(","chatId":")" + chat + R"(","replyToMessageId":")" + reply_to + R"("})";
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(gateway_bus, BusFixture)

BOOST_AUTO_TEST_CASE(hello_is_welcomed_and_counted) {
  auto p = processor();
  auto welcome = p->handshake();
  BOOST_REQUIRE(welcome.has_value());
  BOOST_TEST(welcome->processor_id == p->id());
  BOOST_TEST(welcome->heartbeat_ms == kTestHeartbeatMs);
  BOOST_TEST(!welcome->gateway_id.empty());
  BOOST_TEST(wait_until([&] { return metric("agentworld_processors_connected") == 1; }));
  auto ready = gateway->http_get("/readyz");
  BOOST_REQUIRE(ready.is_ok());
  BOOST_TEST(ready->body.find(R"("processors":1)") != std::string::npos, ready->body);
}

BOOST_AUTO_TEST_CASE(incompatible_version_gets_no_welcome) {
  auto p = processor(1, 2, 2);
  BOOST_TEST(!p->handshake(Millis(1000)).has_value());
  BOOST_TEST(metric("agentworld_processors_connected") == 0);
}

BOOST_AUTO_TEST_CASE(message_waits_for_a_processor_then_runs_as_attempt_1) {
  const std::string world = create_world("Waiting World");
  send_message(world, "wait-1", "are you there?");
  // No processor: the item stays pending, no status comes.
  BOOST_TEST(!client->wait_for([](const Frame& f) { return f.type() == "status"; }, Millis(500)).has_value());
  auto p = ready_processor();
  auto work = p->next_work();
  BOOST_REQUIRE(work.has_value());
  BOOST_TEST(work->world_id == world);
  BOOST_TEST(work->run_id == "wait-1");
  BOOST_TEST(work->attempt == 1);
  BOOST_TEST(work->trigger.content == "are you there?");
  BOOST_TEST(work->heartbeat_ms == kTestHeartbeatMs);
  BOOST_TEST(work->lease_ms == 3 * kTestHeartbeatMs);
  BOOST_TEST(work->agents.size() == 1u);
}

BOOST_AUTO_TEST_CASE(run_is_granted_streamed_committed_and_acked) {
  const std::string world = create_world("Run World");
  auto watcher = connect_client();
  BOOST_REQUIRE(subscribe(*watcher, world).is_ok());
  auto p = ready_processor();
  send_message(world, "run-1", "hello");
  const Work work = run_granted(*p);

  auto processing = wait_status(*watcher, "run-1", "processing");
  BOOST_REQUIRE(processing.has_value());
  BOOST_TEST(processing->int_at("payload.attempt").value_or(-999) == 1);
  auto trigger = watcher->wait_for(
      [](const Frame& f) { return f.type() == "event" && f.string_at("payload.messageId") == std::string("run-1"); });
  BOOST_REQUIRE(trigger.has_value());
  const std::int64_t trigger_seq = trigger->int_at("seq").value_or(0);
  BOOST_TEST(trigger_seq > 0);

  p->event(work, 0, "sse", R"({"type":"start","agentName":"a1","messageId":"reply-1"})");
  p->event(work, 1, "message", message_payload("reply-1", work.chat_id, "hello back", "run-1"));
  auto reply_event = watcher->wait_for([](const Frame& f) {
    return f.type() == "event" && f.string_at("eventType") == std::string("message") &&
           f.string_at("payload.messageId") == std::string("reply-1");
  });
  BOOST_REQUIRE(reply_event.has_value());
  BOOST_TEST(reply_event->int_at("seq").value_or(0) > trigger_seq);
  BOOST_TEST(reply_event->string_at("runId").value_or(std::string("<absent>")) == std::string("run-1"));
  BOOST_TEST(reply_event->int_at("attempt").value_or(-999) == 1);

  Commit commit = p->make_commit(work, 1, "reply-1", "hello back");
  p->send(commit);
  auto ack = p->wait_ctl(is_ack(1));
  BOOST_REQUIRE(ack.has_value());
  BOOST_TEST((as<CommitAck>(*ack)->result == CommitResult::Applied));
  BOOST_TEST(wait_status(*watcher, "run-1", "completed").has_value());
  BOOST_TEST(wait_status(*client, "run-1", "completed").has_value());

  // A re-sent commit is answered duplicate and stores nothing twice.
  p->send(commit);
  auto dup = p->wait_ctl(is_ack(1));
  BOOST_REQUIRE(dup.has_value());
  BOOST_TEST((as<CommitAck>(*dup)->result == CommitResult::Duplicate));
  auto messages = command("get-chat-messages", JsonObject().set("chatId", work.chat_id), world);
  int replies = 0;
  for (std::size_t i = 0; i < messages.data_array_size("messages").value_or(0); ++i) {
    if (messages.data_string("messages." + std::to_string(i) + ".messageId") == std::string("reply-1")) ++replies;
  }
  BOOST_TEST(replies == 1);
}

BOOST_AUTO_TEST_CASE(lost_processor_is_detected_and_the_item_retried_elsewhere) {
  const std::string world = create_world("Lease World");
  auto p1 = ready_processor();
  send_message(world, "lease-1");
  const Work first = run_granted(*p1);
  BOOST_TEST(first.attempt == 1);
  const auto lost_at = Clock::now();
  p1.reset();  // the processor vanishes: no hb, sockets closed
  auto retrying = wait_status(*client, "lease-1", "retrying", Millis(3000));
  BOOST_REQUIRE(retrying.has_value());
  // Detected within 3 heartbeat periods (the lease) plus a tick.
  BOOST_TEST((Clock::now() - lost_at < Millis(3 * kTestHeartbeatMs + 600)));
  BOOST_TEST(retrying->string_at("payload.code").value_or(std::string("<absent>")) == std::string("processor_lost"));
  BOOST_TEST(retrying->int_at("payload.nextAttempt").value_or(-999) == 2);
  BOOST_TEST(retrying->bool_at("payload.superseded").value_or(false) == true);
  auto p2 = ready_processor();
  const Work second = run_granted(*p2);
  BOOST_TEST(second.run_id == "lease-1");
  BOOST_TEST(second.attempt == 2);
  // Attempt 1's late commit is stale.
  auto p1_again = processor();
  Commit late = p2->make_commit(first, -1, "", "");
  late.processor_id = p1_again->id();
  p1_again->send(late);
  p2->send(p2->make_commit(second, -1, "reply-l2", "second try"));
  BOOST_TEST(wait_status(*client, "lease-1", "completed").has_value());
}

BOOST_AUTO_TEST_CASE(dispatch_timeout_redispatches_and_denies_the_late_accept) {
  const std::string world = create_world("Timeout World");
  auto p = ready_processor();
  send_message(world, "slow-1");
  auto first = p->next_work();
  BOOST_REQUIRE(first.has_value());
  // Not accepted within AW_DISPATCH_TIMEOUT_MS (1000): pushed again under a new dispatchId, same attempt.
  auto second = p->next_work(Millis(4000));
  BOOST_REQUIRE(second.has_value());
  BOOST_TEST(second->dispatch_id != first->dispatch_id);
  BOOST_TEST(second->attempt == 1);
  p->accept(*first);
  BOOST_TEST(p->wait_ctl(is_deny(first->dispatch_id)).has_value());
  p->accept(*second);
  BOOST_TEST(p->wait_ctl(is_grant(second->dispatch_id)).has_value());
}

BOOST_AUTO_TEST_CASE(cancel_message_while_processing_reaches_the_lease_owner) {
  const std::string world = create_world("Cancel World");
  auto p = ready_processor();
  send_message(world, "cancel-1");
  const Work work = run_granted(*p);
  auto reply = command("cancel-message", JsonObject().set("messageId", "cancel-1"), world);
  BOOST_TEST(reply.data_string("state").value_or(std::string("<absent>")) == std::string("processing"));
  auto cancel = p->wait_ctl(is_cancel(CancelReason::Cancelled));
  BOOST_REQUIRE(cancel.has_value());
  BOOST_TEST(as<Cancel>(*cancel)->run_id == "cancel-1");
  BOOST_TEST(as<Cancel>(*cancel)->attempt == 1);
  // Repeated while the hb still lists the attempt.
  BOOST_TEST(p->wait_ctl(is_cancel(CancelReason::Cancelled), Millis(2000)).has_value());
  p->send(p->make_commit(work, -1, "", "", CommitOutcome::Cancelled));
  BOOST_TEST(p->wait_ctl(is_ack(1)).has_value());
  auto failed = wait_status(*client, "cancel-1", "failed");
  BOOST_REQUIRE(failed.has_value());
  BOOST_TEST(failed->bool_at("payload.cancelled").value_or(false) == true);
}

BOOST_AUTO_TEST_CASE(cancel_without_commit_is_ended_by_the_gateway) {
  const std::string world = create_world("Cancel Backstop World");
  auto p = ready_processor();
  send_message(world, "cancel-2");
  run_granted(*p);
  command("cancel-message", JsonObject().set("messageId", "cancel-2"), world);
  // The processor keeps renewing the lease (and hears the cancel repeated) but never commits: ended after
  // 2 x leaseMs.
  std::optional<Frame> failed;
  const auto deadline = Clock::now() + Millis(4000);
  int cancels = 0;
  while (!failed && Clock::now() < deadline) {
    for (const BusMessage& m : p->collect_ctl(Millis(20))) cancels += as<Cancel>(m) != nullptr ? 1 : 0;
    failed = wait_status(*client, "cancel-2", "failed", Millis(1));
  }
  BOOST_TEST(cancels >= 2);
  BOOST_REQUIRE(failed.has_value());
  BOOST_TEST(failed->bool_at("payload.cancelled").value_or(false) == true);
  BOOST_TEST(failed->string_at("payload.code").value_or(std::string("<absent>")) == std::string("cancelled"));
}

BOOST_AUTO_TEST_CASE(cancelled_run_whose_processor_vanishes_ends_cancelled_not_retried) {
  const std::string world = create_world("Cancel Vanish World");
  auto p = ready_processor();
  send_message(world, "cancel-3");
  run_granted(*p);
  command("cancel-message", JsonObject().set("messageId", "cancel-3"), world);
  p.reset();  // no commit, no hb: the lease expires
  auto ended = client->wait_for(
      [](const Frame& f) {
        return f.type() == "status" && f.string_at("messageId") == std::string("cancel-3") &&
               (f.status() == "failed" || f.status() == "retrying");
      },
      Millis(4000));
  BOOST_REQUIRE(ended.has_value());
  BOOST_TEST(ended->status() == "failed");
  BOOST_TEST(ended->bool_at("payload.cancelled").value_or(false) == true);
}

BOOST_AUTO_TEST_CASE(world_deletion_cancels_the_run) {
  const std::string world = create_world("Doomed World");
  auto p = ready_processor();
  send_message(world, "doomed-1");
  run_granted(*p);
  command("delete-world", JsonObject(), world);
  auto cancel = p->wait_ctl(is_cancel(CancelReason::WorldDeleted));
  BOOST_REQUIRE(cancel.has_value());
  BOOST_TEST(as<Cancel>(*cancel)->run_id == "doomed-1");
}

BOOST_AUTO_TEST_CASE(always_failing_item_is_dead_lettered_and_retry_failed_reruns_it) {
  const std::string world = create_world("Failing World");
  auto p = ready_processor();
  send_message(world, "fail-1");
  // AW_QUEUE_MAX_RETRIES=2: attempts 1..3 each lose their lease (never listed in hb), then the item fails.
  for (std::int64_t attempt = 1; attempt <= 3; ++attempt) {
    auto work = p->next_work(Millis(4000));
    BOOST_REQUIRE(work.has_value());
    BOOST_TEST(work->attempt == attempt);
    p->accept(*work);
    BOOST_REQUIRE(p->wait_ctl(is_grant(work->dispatch_id)).has_value());
    p->set_runs({});
  }
  auto failed = wait_status(*client, "fail-1", "failed", Millis(4000));
  BOOST_REQUIRE(failed.has_value());
  BOOST_TEST(failed->string_at("payload.code").value_or(std::string("<absent>")) == std::string("processor_lost"));
  auto listed = command("list-failed", JsonObject(), world);
  BOOST_REQUIRE(listed.data_array_size().value_or(0) == 1u);
  BOOST_TEST(listed.data_string("0.messageId").value_or(std::string("<absent>")) == std::string("fail-1"));
  command("retry-failed", JsonObject().set("messageId", "fail-1"), world);
  auto again = p->next_work(Millis(4000));
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(again->run_id == "fail-1");
  BOOST_TEST(again->attempt == 4);
}

BOOST_AUTO_TEST_CASE(invalid_and_foreign_version_frames_are_counted) {
  auto p = processor();
  BOOST_REQUIRE(p->handshake().has_value());
  p->send_raw("hb." + p->id(), R"({"v":1,"kind":"hb"})");
  p->send_raw("hb." + p->id(), R"({"v":7,"kind":"hb","processorId":")" + p->id() + R"("})");
  BOOST_TEST(wait_until([&] { return metric(R"(agentworld_bus_dropped_total{reason="invalid"})") >= 1; }));
  BOOST_TEST(wait_until([&] { return metric(R"(agentworld_bus_dropped_total{reason="version"})") >= 1; }));
}

BOOST_AUTO_TEST_CASE(sigterm_with_a_processor_connected_exits_cleanly) {
  auto p = ready_processor();
  const auto started = Clock::now();
  auto status = gateway->terminate(Millis(8000));
  BOOST_REQUIRE(status.is_ok());
  BOOST_TEST(*status == 0);
  BOOST_TEST((Clock::now() - started < Millis(5000)));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
