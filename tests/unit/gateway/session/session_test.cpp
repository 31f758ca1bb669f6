// Session: the outbound cap (4008), replay pacing, holding live frames during a replay and releasing them after,
// and the "held frames would exceed the cap" rule of ws-protocol.md §4.3.
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

#include "gateway/session/session.h"
#include "tests/unit/gateway/session/fake_core.h"
#include "tests/unit/gateway/session/fake_transport.h"

namespace aw::gateway {
namespace {

using test::FakeTransport;
using test::make_event;

struct SessionFixture {
  SessionFixture() { limits.max_outbound_bytes = 10000; }

  Session& make() {
    session = std::make_unique<Session>(1, transport, limits, Principal{}, SteadyTime(), &counters);
    return *session;
  }

  ReplayJob job(const std::string& world, std::optional<std::string> chat, std::vector<Seq> seqs, Seq latest) {
    ReplayJob j;
    j.key = SubscriptionKey{world, chat};
    j.filter_chat = chat;
    for (Seq s : seqs) j.frames.push_back(make_event(world, chat, s, true));
    j.recovered = true;
    j.complete.world_id = world;
    j.complete.chat_id = chat;
    j.complete.latest_seq = latest;
    return j;
  }

  LiveFrame live(const std::string& world, std::optional<std::string> chat, Seq seq) {
    PersistedFrame f = make_event(world, chat, seq);
    return LiveFrame{f.live_json, world, chat, seq, true};
  }

  // Seq of each sent frame, -1 for a replay-complete, -2 for anything else.
  std::vector<long> sent_kinds() {
    std::vector<long> out;
    for (std::size_t i = 0; i < transport->sent.size(); ++i) {
      auto d = transport->parsed(i);
      if (auto seq = json::get_int(d, "seq")) {
        out.push_back(*seq);
      } else if (json::get_bool(d, "replayComplete")) {
        out.push_back(-1);
      } else {
        out.push_back(-2);
      }
    }
    return out;
  }

  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  SessionLimits limits;
  WsCounters counters;
  std::unique_ptr<Session> session;
};

std::shared_ptr<const std::string> bytes(std::size_t n) { return std::make_shared<const std::string>(n, 'x'); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(session, SessionFixture)

BOOST_AUTO_TEST_CASE(a_frame_is_always_accepted_into_an_empty_queue) {
  Session& s = make();
  BOOST_TEST(s.send(bytes(50000)));  // five times the cap
  BOOST_TEST(!transport->closed);
}

BOOST_AUTO_TEST_CASE(a_burst_over_the_cap_is_fine_when_the_socket_takes_it) {
  Session& s = make();
  transport->accumulate = true;
  for (int i = 0; i < 3; ++i) BOOST_TEST(s.send(bytes(6000)));  // 18000 queued in one loop turn
  BOOST_TEST(!transport->closed);
  BOOST_TEST(transport->deferred.size() == 1u);  // one check, however many frames
  transport->buffered = 0;                       // the next turn handed everything to the socket
  transport->run_deferred();
  BOOST_TEST(!transport->closed);
}

BOOST_AUTO_TEST_CASE(a_peer_that_stops_reading_is_closed_4008) {
  Session& s = make();
  transport->accumulate = true;
  for (int i = 0; i < 3; ++i) s.send(bytes(6000));
  transport->run_deferred();  // still 18000 behind the write in progress
  BOOST_TEST(transport->closed);
  BOOST_TEST(transport->close_code == kCloseSlowConsumer);
  BOOST_TEST(transport->sent.size() == 3u);  // never a silent drop: every frame was queued, then the close
  BOOST_TEST(!s.send(bytes(10)));
}

BOOST_AUTO_TEST_CASE(a_check_deferred_past_the_session_does_nothing) {
  Session& s = make();
  transport->accumulate = true;
  s.send(bytes(20000));
  s.send(bytes(1));
  session.reset();
  transport->run_deferred();
  BOOST_TEST(!transport->closed);
}

BOOST_AUTO_TEST_CASE(a_closing_session_sends_nothing) {
  Session& s = make();
  s.close(kCloseShuttingDown, "bye", 5000);
  BOOST_TEST(transport->close_timeout_ms == 5000);
  BOOST_TEST(!s.send(bytes(10)));
  BOOST_TEST(transport->sent.empty());
  BOOST_TEST(s.close_code() == kCloseShuttingDown);
}

BOOST_AUTO_TEST_CASE(replay_sends_frames_then_replay_complete) {
  Session& s = make();
  s.start_replay(job("w", std::nullopt, {3, 4, 5}, 9));
  BOOST_TEST(sent_kinds() == (std::vector<long>{3, 4, 5, -1}));
  auto rc = transport->parsed(3);
  const json::Value& p = *json::find(rc, "payload");
  BOOST_TEST(json::get_int(p, "seq").value_or(0) == 5);  // last replayed
  BOOST_TEST(json::get_int(p, "latestSeq").value_or(0) == 9);
  BOOST_TEST(json::get_int(p, "replayed").value_or(0) == 3);
  BOOST_TEST(json::get_bool(p, "recovered").value_or(false));
  BOOST_TEST(!s.is_replaying());
  BOOST_TEST(counters.replay_events == 3);
}

BOOST_AUTO_TEST_CASE(empty_replay_reports_latest_seq) {
  Session& s = make();
  s.start_replay(job("w", std::nullopt, {}, 9));
  auto rc = transport->parsed(0);
  BOOST_TEST(json::get_int(*json::find(rc, "payload"), "seq").value_or(0) == 9);
}

BOOST_AUTO_TEST_CASE(live_frames_are_held_during_replay_and_released_after) {
  Session& s = make();
  s.put_subscription(Subscription{SubscriptionKey{"w", std::nullopt}, std::nullopt});
  transport->buffered = 6000;  // the socket is behind: the replay waits (pace = half the cap)
  s.start_replay(job("w", std::nullopt, {1, 2}, 2));
  BOOST_TEST(transport->sent.empty());
  BOOST_TEST(s.is_replaying());
  s.deliver(live("w", std::nullopt, 3));
  s.deliver(live("w", std::nullopt, 4));
  BOOST_TEST(transport->sent.empty());
  BOOST_TEST(s.held_count_for_test() == 2u);
  transport->buffered = 0;  // drained
  s.pump_replay();
  BOOST_TEST(sent_kinds() == (std::vector<long>{1, 2, -1, 3, 4}));
}

BOOST_AUTO_TEST_CASE(held_frames_already_replayed_are_dropped) {
  Session& s = make();
  s.put_subscription(Subscription{SubscriptionKey{"w", std::nullopt}, std::nullopt});
  transport->buffered = 6000;
  s.start_replay(job("w", std::nullopt, {5, 6}, 6));
  s.deliver(live("w", std::nullopt, 6));  // also in the replay
  s.deliver(live("w", std::nullopt, 7));
  transport->buffered = 0;
  s.pump_replay();
  BOOST_TEST(sent_kinds() == (std::vector<long>{5, 6, -1, 7}));
}

BOOST_AUTO_TEST_CASE(held_frames_of_other_chats_are_not_dropped_by_a_chat_replay) {
  Session& s = make();
  s.put_subscription(Subscription{SubscriptionKey{"w", std::string("c1")}, std::string("c1")});
  s.put_subscription(Subscription{SubscriptionKey{"w", std::string("c2")}, std::string("c2")});
  transport->buffered = 6000;
  s.start_replay(job("w", std::string("c1"), {8}, 9));
  s.deliver(live("w", std::string("c2"), 5));  // seq below the replay's last, but another chat: not replayed
  transport->buffered = 0;
  s.pump_replay();
  BOOST_TEST(sent_kinds() == (std::vector<long>{8, -1, 5}));
}

BOOST_AUTO_TEST_CASE(replay_is_paced_under_half_the_cap) {
  Session& s = make();
  transport->accumulate = true;  // nothing drains until the test says so
  ReplayJob j = job("w", std::nullopt, {}, 40);
  for (Seq seq = 1; seq <= 40; ++seq) {
    PersistedFrame f = make_event("w", std::nullopt, seq, true);
    f.live_json = std::make_shared<const std::string>(*f.live_json + std::string(400, ' '));
    j.frames.push_back(f);
  }
  s.start_replay(std::move(j));
  const std::size_t first_batch = transport->sent.size();
  BOOST_TEST(first_batch > 1u);
  BOOST_TEST(first_batch < 40u);
  BOOST_TEST(transport->buffered <= limits.max_outbound_bytes / 2 + 500);
  BOOST_TEST(!transport->closed);
  while (s.is_replaying()) {
    transport->buffered = 0;
    s.pump_replay();
  }
  BOOST_TEST(transport->sent.size() == 41u);  // 40 frames + replay-complete
  BOOST_TEST(!transport->closed);
}

BOOST_AUTO_TEST_CASE(held_frames_over_the_cap_stop_the_replay_without_closing) {
  Session& s = make();
  s.put_subscription(Subscription{SubscriptionKey{"w", std::nullopt}, std::nullopt});
  transport->buffered = 6000;
  s.start_replay(job("w", std::nullopt, {1, 2, 3}, 3));
  s.deliver(live("w", std::nullopt, 4));
  // Held (one small frame) + 3950 + 6000 queued > 10000; sending it alone still fits (6000 + 3950 <= 10000).
  auto big = std::make_shared<const std::string>(3950, 'x');
  s.deliver(LiveFrame{big, "w", std::nullopt, Seq{5}, true});
  BOOST_TEST(!transport->closed);
  BOOST_TEST(!s.is_replaying());
  BOOST_TEST(s.held_count_for_test() == 0u);
  // replay-complete recovered:false, then the live frame that did not fit; the earlier held frame is dropped.
  BOOST_REQUIRE(transport->sent.size() == 2u);
  auto rc = transport->parsed(0);
  const json::Value& p = *json::find(rc, "payload");
  BOOST_TEST(json::get_string(p, "status").value_or("") == "replay-complete");
  BOOST_TEST(!json::get_bool(p, "recovered").value_or(true));
  BOOST_TEST(json::get_int(p, "replayed").value_or(-1) == 0);
  BOOST_TEST(json::get_int(p, "seq").value_or(0) == 3);  // none replayed: latestSeq
  BOOST_TEST(*transport->sent[1] == *big);
  BOOST_TEST(counters.replay_unrecovered == 1);
}

BOOST_AUTO_TEST_CASE(replays_run_one_at_a_time_in_order) {
  Session& s = make();
  transport->buffered = 6000;
  s.start_replay(job("a", std::nullopt, {1, 2}, 2));
  s.start_replay(job("b", std::nullopt, {7}, 7));
  transport->buffered = 0;
  s.pump_replay();
  BOOST_TEST(sent_kinds() == (std::vector<long>{1, 2, -1, 7, -1}));
}

BOOST_AUTO_TEST_CASE(resubscribing_or_unsubscribing_drops_the_pending_replay) {
  Session& s = make();
  transport->buffered = 6000;
  s.put_subscription(Subscription{SubscriptionKey{"w", std::nullopt}, std::nullopt});
  s.start_replay(job("w", std::nullopt, {1}, 1));
  BOOST_TEST(s.remove_subscription(SubscriptionKey{"w", std::nullopt}) == 1u);
  BOOST_TEST(!s.is_replaying());
  transport->buffered = 0;
  s.pump_replay();
  BOOST_TEST(transport->sent.empty());
}

BOOST_AUTO_TEST_CASE(wants_applies_the_delivery_filter) {
  Session& s = make();
  s.put_subscription(Subscription{SubscriptionKey{"w", std::string("c1")}, std::string("c1")});
  BOOST_TEST(s.wants("w", std::string("c1")));
  BOOST_TEST(!s.wants("w", std::string("c2")));
  BOOST_TEST(s.wants("w", std::nullopt));  // a frame without chat (crud) passes every filter
  BOOST_TEST(!s.wants("other", std::nullopt));
  // A chat that named no chat of the world subscribes to the whole world.
  s.put_subscription(Subscription{SubscriptionKey{"v", std::string("ghost")}, std::nullopt});
  BOOST_TEST(s.wants("v", std::string("anything")));
}

BOOST_AUTO_TEST_CASE(subscription_removal_counts) {
  Session& s = make();
  s.put_subscription(Subscription{SubscriptionKey{"w", std::nullopt}, std::nullopt});
  s.put_subscription(Subscription{SubscriptionKey{"w", std::string("c")}, std::string("c")});
  s.put_subscription(Subscription{SubscriptionKey{"w", std::string("c")}, std::string("c")});  // replaces
  s.put_subscription(Subscription{SubscriptionKey{"x", std::nullopt}, std::nullopt});
  BOOST_TEST(s.subscriptions().size() == 3u);
  BOOST_TEST(s.remove_world("w") == 2u);
  BOOST_TEST(!s.has_world("w"));
  BOOST_TEST(s.remove_all() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
