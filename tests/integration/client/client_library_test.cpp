// The client library against the real gateway: answers and errors matched by requestId, the last-resort timeout,
// typed callbacks, de-duplication by seq, and clean failure when the connection drops.
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <map>
#include <set>

#include "client/client.h"
#include "tests/integration/client/client_fixture.h"

namespace aw::test {
namespace {

using client::Client;
using client::ServerFrame;

std::string agent_params(const std::string& name) { return "{\"name\":\"" + name + "\"}"; }

}  // namespace

BOOST_AUTO_TEST_SUITE(client_library)

BOOST_AUTO_TEST_CASE(command_resolves_on_its_answer_and_fails_fast_on_its_error) {
  auto gw = start_gateway();
  Client c(options_for(*gw), {});
  BOOST_TEST_REQUIRE(c.start(Millis(5000)).is_ok());

  auto created = c.command("", "create-world", "{\"name\":\"Lib World\"}").get();
  BOOST_TEST_REQUIRE(created.is_ok(), created.status().message());
  BOOST_TEST(created->status == "success");
  BOOST_TEST(created->command == "create-world");
  BOOST_TEST(json::get_string(*json::find(created->payload(), "data"), "id").value_or("") == "lib-world");

  // Two requests in flight: each completes with its own answer, whatever the order.
  auto a = c.command("lib-world", "list-agents");
  auto b = c.command("lib-world", "list-chats");
  auto ra = a.get();
  auto rb = b.get();
  BOOST_TEST_REQUIRE(ra.is_ok());
  BOOST_TEST_REQUIRE(rb.is_ok());
  BOOST_TEST(ra->command == "list-agents");
  BOOST_TEST(rb->command == "list-chats");

  // An error answer fails the request at once with the gateway's code, long before the 5 s timeout.
  const auto t0 = std::chrono::steady_clock::now();
  auto bad = c.command("no-such-world", "export-world").get();
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  BOOST_TEST_REQUIRE(!bad.is_ok());
  BOOST_TEST(bad.status().code() == "world_not_found");
  BOOST_TEST((elapsed < std::chrono::milliseconds(2000)));
  auto dup = c.command("", "create-world", "{\"name\":\"Lib World\"}").get();
  BOOST_TEST(dup.status().code() == "already_exists");
  BOOST_TEST(c.pending_requests() == 0u);
}

BOOST_AUTO_TEST_CASE(request_without_answer_times_out_and_leaves_nothing_pending) {
  auto gw = start_gateway();
  auto options = options_for(*gw);
  options.request_timeout = Millis(300);
  Client c(options, {});
  BOOST_TEST_REQUIRE(c.start(Millis(5000)).is_ok());
  // A stopped gateway keeps the TCP connection but answers nothing.
  BOOST_TEST_REQUIRE(gw->send_signal(SIGSTOP).is_ok());
  auto f1 = c.command("", "list-worlds");
  auto f2 = c.command("", "list-worlds");
  auto r1 = f1.get();
  auto r2 = f2.get();
  BOOST_TEST_REQUIRE(gw->send_signal(SIGCONT).is_ok());
  BOOST_TEST(r1.status().code() == "timeout");
  BOOST_TEST(r2.status().code() == "timeout");
  BOOST_TEST(c.pending_requests() == 0u);
  // The connection still works afterwards; the late answers to the timed-out ids are ignored.
  auto ok = c.command("", "list-worlds").get();
  BOOST_TEST(ok.is_ok());
  BOOST_TEST(c.pending_requests() == 0u);
}

BOOST_AUTO_TEST_CASE(typed_callbacks_get_crud_and_status_and_duplicates_are_dropped) {
  auto gw = start_gateway();
  Recorder crud;
  Recorder all;
  client::Handlers h;
  h.on_crud = [&](const ServerFrame& f) { crud.add(f); };
  h.on_frame = [&](const ServerFrame& f) { all.add(f); };
  Client c(options_for(*gw), std::move(h));
  BOOST_TEST_REQUIRE(c.start(Millis(5000)).is_ok());
  BOOST_TEST_REQUIRE(c.command("", "create-world", "{\"name\":\"Typed\"}").get().is_ok());
  auto sub = c.subscribe("typed", std::nullopt).get();
  BOOST_TEST_REQUIRE(sub.is_ok());
  BOOST_TEST(sub->status == "subscribed");
  const std::string epoch = sub->payload_string("epoch").value_or("");
  BOOST_TEST_REQUIRE(!epoch.empty());

  BOOST_TEST_REQUIRE(c.command("typed", "create-agent", agent_params("Ann")).get().is_ok());
  BOOST_TEST_REQUIRE(c.command("typed", "create-agent", agent_params("Ben")).get().is_ok());
  BOOST_TEST_REQUIRE(crud.wait([](const auto& v) { return v.size() == 2; }));
  auto seen = crud.frames();
  BOOST_TEST(seen[0].payload_string("entityId").value_or("") == "ann");
  BOOST_TEST(seen[1].payload_string("entityId").value_or("") == "ben");
  BOOST_TEST_REQUIRE(seen[0].seq.has_value());
  BOOST_TEST(*seen[1].seq > *seen[0].seq);

  // Subscribing the same world again from the beginning replays the crud frames already seen: on_frame gets the
  // replayed copies, on_crud does not get them twice.
  client::OutgoingFrame again = client::make_subscribe("typed", std::nullopt);
  again.from_seq = 0;
  again.epoch = epoch;
  auto replay_ack = c.request(again).get();
  BOOST_TEST_REQUIRE(replay_ack.is_ok());
  BOOST_TEST(replay_ack->payload_int("replayCount").value_or(0) >= 2);
  BOOST_TEST_REQUIRE(all.wait([](const auto& v) {
    for (const auto& f : v) {
      if (f.status == "replay-complete") return true;
    }
    return false;
  }));
  std::size_t historical = 0;
  for (const auto& f : all.frames()) historical += f.historical ? 1 : 0;
  BOOST_TEST(historical >= 2u);
  // on_crud got the replayed frames it had not seen (the world's creation) but ann and ben only once.
  std::set<std::int64_t> seqs;
  std::map<std::string, int> per_entity;
  for (const auto& f : crud.frames()) {
    BOOST_TEST(seqs.insert(f.seq.value_or(-1)).second);
    ++per_entity[f.payload_string("entityId").value_or("")];
  }
  BOOST_TEST(per_entity["ann"] == 1);
  BOOST_TEST(per_entity["ben"] == 1);
  const std::size_t before = crud.count();

  // A third agent arrives live, once.
  BOOST_TEST_REQUIRE(c.command("typed", "create-agent", agent_params("Cat")).get().is_ok());
  BOOST_TEST_REQUIRE(crud.wait([&](const auto& v) { return v.size() == before + 1; }));
  BOOST_TEST(crud.frames().back().payload_string("entityId").value_or("") == "cat");
}

BOOST_AUTO_TEST_CASE(message_is_queued_and_refusal_fails_fast) {
  auto gw = start_gateway();
  Client c(options_for(*gw), {});
  BOOST_TEST_REQUIRE(c.start(Millis(5000)).is_ok());
  BOOST_TEST_REQUIRE(c.command("", "create-world", "{\"name\":\"Msg\"}").get().is_ok());
  const std::string id = client::new_client_message_id();
  auto queued = c.send_message("msg", std::nullopt, id, "hello").get();
  BOOST_TEST_REQUIRE(queued.is_ok(), queued.status().message());
  BOOST_TEST(queued->status == "queued");
  BOOST_TEST(queued->message_id == id);
  auto refused = c.send_message("nowhere", std::nullopt, client::new_client_message_id(), "x").get();
  BOOST_TEST(refused.status().code() == "world_not_found");
  auto conflict = c.send_message("msg", std::nullopt, id, "different text").get();
  BOOST_TEST(conflict.status().code() == "message_id_conflict");
}

BOOST_AUTO_TEST_CASE(dropped_connection_fails_requests_in_flight_and_close_is_clean) {
  auto gw = start_gateway();
  Recorder closes;
  client::Handlers h;
  auto options = options_for(*gw);
  options.auto_reconnect = false;
  Client c(options, std::move(h));
  BOOST_TEST_REQUIRE(c.start(Millis(5000)).is_ok());
  BOOST_TEST_REQUIRE(gw->send_signal(SIGSTOP).is_ok());
  auto pending = c.command("", "list-worlds");
  gw->kill9();
  auto r = pending.get();
  BOOST_TEST(!r.is_ok());
  BOOST_TEST(r.status().code() == "disconnected");
  BOOST_TEST(!c.is_connected());
  auto after = c.command("", "list-worlds").get();
  BOOST_TEST(after.status().code() == "disconnected");
  c.close();
  auto closed = c.command("", "list-worlds").get();
  BOOST_TEST(closed.status().code() == "closed");
  BOOST_TEST(c.pending_requests() == 0u);
}

BOOST_AUTO_TEST_CASE(refused_connection_reports_failure) {
  auto gw = start_gateway();
  auto options = options_for(*gw);
  options.url = "ws://127.0.0.1:1/";  // nothing listens on port 1
  options.auto_reconnect = false;
  Client c(options, {});
  Status s = c.start(Millis(5000));
  BOOST_TEST(!s.is_ok());
  BOOST_TEST(s.code() == "connect_failed");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
