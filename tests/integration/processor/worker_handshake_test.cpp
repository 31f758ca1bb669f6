// The bus worker's handshake and credit against a ScriptedGateway (bus-protocol.md §3, §4, §5, §11): hello until
// welcome, PULL only after it, accept / no grant, WS_MAX_CONCURRENT, foreign versions, the loopback rule.
#include <boost/test/unit_test.hpp>

#include "common/bus/bus_topics.h"
#include "common/bus/curve_socket.h"
#include "common/json.h"
#include "tests/integration/processor/worker_fixture.h"

namespace {

using aw::test::as;
using aw::test::kind;
using aw::test::make_work;
using aw::test::Received;
using Ms = std::chrono::milliseconds;
namespace bus = aw::bus;

constexpr const char* kQuickReply = R"({"rules":[{"match":{"any":true},"reply":"Hello there","chunk_size":3}]})";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(worker_handshake, aw::test::WorkerFixture)

BOOST_AUTO_TEST_CASE(hello_repeats_until_welcome_and_pull_waits_for_it) {
  start(kQuickReply);
  start_processor();
  auto first = gateway.wait_for([](const Received& r) { return kind(r) == "hello"; }, Ms(10000));
  BOOST_REQUIRE(first.has_value());
  const auto* hello = as<bus::Hello>(*first);
  BOOST_TEST(first->topic == bus::hello_topic(hello->processor_id));
  BOOST_TEST(hello->slots == 5);
  BOOST_TEST(bus::is_valid_processor_id(hello->processor_id));
  // Not welcomed: a second hello comes, and no PULL is connected, so a push finds no peer.
  BOOST_TEST(gateway.wait_for([](const Received& r) { return kind(r) == "hello"; }, Ms(3000)).has_value());
  BOOST_TEST(!gateway.push(bus::encode(make_work("w", "r1", "m"))));
  handshake();
  // Welcomed: the PULL connects and the work is read and accepted.
  const bus::Work work = make_work("w", "r1", "m");
  BOOST_REQUIRE(gateway.push_within(bus::encode(work), Ms(5000)));
  auto accept = gateway.wait_for([](const Received& r) { return kind(r) == "accept"; });
  BOOST_REQUIRE(accept.has_value());
  const auto* a = as<bus::Accept>(*accept);
  BOOST_TEST(a->dispatch_id == work.dispatch_id);
  BOOST_TEST(a->processor_id == processor_id);
  BOOST_TEST(accept->topic == bus::run_topic("w"));
  BOOST_TEST(processor->stderr_text().find("\"welcomed\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_grant_runs_nothing_and_frees_the_slot) {
  start(kQuickReply);
  start_processor({{"WS_MAX_CONCURRENT", "1"}});
  handshake();
  BOOST_REQUIRE(gateway.push_within(bus::encode(make_work("w", "r1", "m")), Ms(5000)));
  BOOST_REQUIRE(gateway.wait_for([](const Received& r) { return kind(r) == "accept"; }).has_value());
  bool slot_taken = false;  // the hb with slots:0 precedes the accept on the one PUB stream
  for (const auto& r : gateway.received()) {
    if (const auto* hb = as<bus::Heartbeat>(r); hb != nullptr && hb->slots == 0) slot_taken = true;
  }
  BOOST_TEST(slot_taken);
  // No grant: after the 2000 ms wait the item is dropped and the slot is free again.
  const auto start_wait = std::chrono::steady_clock::now();
  BOOST_TEST(wait_hb_slots(1, Ms(4000)));
  BOOST_TEST((std::chrono::steady_clock::now() - start_wait >= Ms(1500)));
  BOOST_TEST(logged_requests().GetArray().Size() == 0u);
  // A late grant for the dropped item is ignored.
  gateway.publish(bus::encode(bus::Grant{processor_id, "w", "r1", 1, "d-r1"}));
  BOOST_TEST(processor->wait_for_stderr("grant for an item not awaiting one", Ms(3000)));
  BOOST_TEST(logged_requests().GetArray().Size() == 0u);
}

BOOST_AUTO_TEST_CASE(one_slot_reads_the_second_work_only_after_the_first_commit) {
  start(R"({"rules":[{"match":{"any":true},"reply":"one two three four","chunk_size":2,"delay_ms_per_chunk":40}]})");
  start_processor({{"WS_MAX_CONCURRENT", "1"}});
  handshake();
  const bus::Work first = make_work("w1", "r1", "m");
  push_and_grant(first);
  // The second item waits in ZeroMQ's queues: the worker does not read PULL without a free slot.
  BOOST_REQUIRE(gateway.push_within(bus::encode(make_work("w2", "r2", "m")), Ms(5000)));
  auto commit = wait_commit("r1");
  BOOST_REQUIRE(commit.has_value());
  auto second = gateway.wait_for([](const Received& r) {
    const auto* a = as<bus::Accept>(r);
    return a != nullptr && a->run_id == "r2";
  });
  BOOST_REQUIRE(second.has_value());
  // Order on the one PUB stream: r1's commit before r2's accept.
  std::size_t commit_at = 0, accept_at = 0;
  const auto& all = gateway.received();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (const auto* c = as<bus::Commit>(all[i]); c != nullptr && c->run_id == "r1" && commit_at == 0) commit_at = i;
    if (const auto* a = as<bus::Accept>(all[i]); a != nullptr && a->run_id == "r2") accept_at = i;
  }
  BOOST_TEST(commit_at > 0u);
  BOOST_TEST(accept_at > commit_at);
}

BOOST_AUTO_TEST_CASE(work_in_another_version_is_rejected_and_the_handshake_restarts) {
  start(kQuickReply);
  start_processor();
  handshake();
  bus::Frame frame = bus::encode(make_work("w", "r9", "m"));
  const auto v = frame.body.find("\"v\":1");
  BOOST_REQUIRE(v != std::string::npos);
  frame.body.replace(v, 5, "\"v\":2");
  BOOST_REQUIRE(gateway.push_within(frame, Ms(5000)));
  auto reject = gateway.wait_for([](const Received& r) { return kind(r) == "reject"; });
  BOOST_REQUIRE(reject.has_value());
  const auto* rj = as<bus::Reject>(*reject);
  BOOST_TEST((rj->reason == bus::RejectReason::UnsupportedVersion));
  BOOST_TEST(rj->run.dispatch_id == "d-r9");
  BOOST_TEST(rj->run.run_id == "r9");
  BOOST_TEST(rj->run.world_id == "w");
  // §3.5: back to step 1.
  BOOST_TEST(gateway.wait_for([](const Received& r) { return kind(r) == "hello"; }, Ms(3000)).has_value());
  BOOST_TEST(logged_requests().GetArray().Size() == 0u);
}

BOOST_AUTO_TEST_CASE(a_welcome_from_a_restarted_gateway_gets_a_heartbeat_and_the_waiting_commit_at_once) {
  start(kQuickReply);
  start_processor();
  handshake();
  const bus::Work work = make_work("w", "r1", "m");
  push_and_grant(work);
  BOOST_REQUIRE(wait_commit("r1").has_value());
  // The same gateway stretches the period to 5 s; after the re-send already scheduled, the next is 5 s away.
  gateway.publish(bus::encode(bus::Welcome{processor_id, "gw-1", 5000}));
  BOOST_REQUIRE(wait_commit("r1", Ms(2000)).has_value());
  // A new gateway (new gatewayId) answered an hb: the commit goes out again without waiting for its period.
  gateway.publish(bus::encode(bus::Welcome{processor_id, "gw-2", 5000}));
  BOOST_TEST(processor->wait_for_stderr("gateway restarted", Ms(3000)));
  auto hb = gateway.wait_for([](const Received& r) {
    const auto* h = as<bus::Heartbeat>(r);
    return h != nullptr && h->runs.size() == 1u;
  });
  BOOST_REQUIRE(hb.has_value());
  BOOST_TEST(as<bus::Heartbeat>(*hb)->runs[0].run_id == "r1");
  BOOST_TEST(wait_commit("r1", Ms(1000)).has_value());
}

BOOST_AUTO_TEST_CASE(non_loopback_endpoint_exits_2_naming_the_variable) {
  start(kQuickReply);
  start_processor({{"AW_BUS_WORK", "tcp://10.1.2.3:5555"}});
  auto status = processor->wait_exit(Ms(10000));
  BOOST_REQUIRE(status.is_ok());
  BOOST_TEST(status.value() == 2);
  BOOST_TEST(processor->stderr_text().find("AW_BUS_WORK") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(curve_secret_key_without_server_key_exits_2) {
  start(kQuickReply);
  auto pair = aw::bus::generate_curve_keypair();
  BOOST_REQUIRE(pair.is_ok());
  start_processor({{"AW_BUS_CURVE_SECRET_KEY", pair->secret_key}});
  auto status = processor->wait_exit(Ms(10000));
  BOOST_REQUIRE(status.is_ok());
  BOOST_TEST(status.value() == 2);
  BOOST_TEST(processor->stderr_text().find("AW_BUS_CURVE_SERVER_KEY") != std::string::npos);
  // A secret key is never echoed back.
  BOOST_TEST(processor->stderr_text().find(pair->secret_key) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_curve_key_exits_2) {
  start(kQuickReply);
  start_processor({{"AW_BUS_CURVE_SECRET_KEY", "x"}, {"AW_BUS_CURVE_SERVER_KEY", "y"}});
  auto status = processor->wait_exit(Ms(10000));
  BOOST_REQUIRE(status.is_ok());
  BOOST_TEST(status.value() == 2);
  BOOST_TEST(processor->stderr_text().find("40-character Z85") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
