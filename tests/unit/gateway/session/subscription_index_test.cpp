// SubscriptionIndex: the delivery filter of ws-protocol.md §5.2 (at most one copy per connection, crud to every
// subscriber of the world) and lifecycle routing of §5.1 (all subscribers regardless of chat, plus the origin once).
#include <boost/test/unit_test.hpp>

#include <memory>
#include <vector>

#include "gateway/session/subscription_index.h"
#include "tests/unit/gateway/session/fake_core.h"
#include "tests/unit/gateway/session/fake_transport.h"

namespace aw::gateway {
namespace {

using test::FakeTransport;

struct Peer {
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::unique_ptr<Session> session;
};

struct IndexFixture {
  Peer& peer() {
    peers.push_back(std::make_unique<Peer>());
    Peer& p = *peers.back();
    p.session =
        std::make_unique<Session>(peers.size(), p.transport, SessionLimits{}, Principal{}, SteadyTime(), nullptr);
    return p;
  }
  void subscribe(Peer& p, const std::string& world, std::optional<std::string> chat,
                 std::optional<std::string> filter) {
    p.session->put_subscription(Subscription{SubscriptionKey{world, std::move(chat)}, std::move(filter)});
    index.add(world, p.session.get());
  }

  SubscriptionIndex index;
  std::vector<std::unique_ptr<Peer>> peers;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(subscription_index, IndexFixture)

BOOST_AUTO_TEST_CASE(events_follow_the_chat_filter) {
  Peer& world_wide = peer();
  Peer& chat1 = peer();
  Peer& chat2 = peer();
  Peer& elsewhere = peer();
  subscribe(world_wide, "w", std::nullopt, std::nullopt);
  subscribe(chat1, "w", std::string("c1"), std::string("c1"));
  subscribe(chat2, "w", std::string("c2"), std::string("c2"));
  subscribe(elsewhere, "x", std::nullopt, std::nullopt);

  BOOST_TEST(index.deliver_persisted(test::make_event("w", std::string("c1"), 1)) == 2u);
  BOOST_TEST(world_wide.transport->sent.size() == 1u);
  BOOST_TEST(chat1.transport->sent.size() == 1u);
  BOOST_TEST(chat2.transport->sent.empty());
  BOOST_TEST(elsewhere.transport->sent.empty());
}

BOOST_AUTO_TEST_CASE(frames_without_chat_reach_every_subscriber_of_the_world) {
  Peer& chat1 = peer();
  Peer& chat2 = peer();
  subscribe(chat1, "w", std::string("c1"), std::string("c1"));
  subscribe(chat2, "w", std::string("c2"), std::string("c2"));
  BOOST_TEST(index.deliver_persisted(test::make_event("w", std::nullopt, 1)) == 2u);  // crud: no chat
}

BOOST_AUTO_TEST_CASE(one_copy_per_connection_and_shared_bytes) {
  Peer& a = peer();
  Peer& b = peer();
  subscribe(a, "w", std::nullopt, std::nullopt);
  subscribe(a, "w", std::string("c1"), std::string("c1"));
  subscribe(b, "w", std::nullopt, std::nullopt);
  PersistedFrame frame = test::make_event("w", std::string("c1"), 5);
  index.deliver_persisted(frame);
  BOOST_REQUIRE(a.transport->sent.size() == 1u);
  BOOST_REQUIRE(b.transport->sent.size() == 1u);
  // Encoded once: both connections got the very same buffer.
  BOOST_TEST(a.transport->sent[0].get() == frame.live_json.get());
  BOOST_TEST(b.transport->sent[0].get() == frame.live_json.get());
}

BOOST_AUTO_TEST_CASE(unknown_chat_subscription_receives_the_whole_world) {
  Peer& p = peer();
  subscribe(p, "w", std::string("not-a-chat"), std::nullopt);
  index.deliver_persisted(test::make_event("w", std::string("c9"), 1));
  BOOST_TEST(p.transport->sent.size() == 1u);
}

BOOST_AUTO_TEST_CASE(statuses_ignore_the_chat_filter_and_reach_the_origin_once) {
  Peer& subscriber = peer();
  Peer& origin_subscribed = peer();
  Peer& origin_only = peer();
  subscribe(subscriber, "w", std::string("c1"), std::string("c1"));
  subscribe(origin_subscribed, "w", std::string("c2"), std::string("c2"));

  StatusBroadcast status = test::make_status("w", "m1", "processing");
  BOOST_TEST(index.deliver_status(status, origin_subscribed.session.get()) == 2u);
  BOOST_TEST(subscriber.transport->sent.size() == 1u);
  BOOST_TEST(origin_subscribed.transport->sent.size() == 1u);

  BOOST_TEST(index.deliver_status(status, origin_only.session.get()) == 3u);
  BOOST_TEST(origin_only.transport->sent.size() == 1u);
}

BOOST_AUTO_TEST_CASE(sync_and_remove_keep_the_index_exact) {
  Peer& p = peer();
  subscribe(p, "w", std::nullopt, std::nullopt);
  subscribe(p, "x", std::nullopt, std::nullopt);
  BOOST_TEST(index.world_count() == 2u);
  p.session->remove_world("w");
  index.sync("w", p.session.get());
  BOOST_TEST(index.world_count() == 1u);
  BOOST_TEST(index.sessions_of("w").empty());
  index.remove_session(p.session.get());
  BOOST_TEST(index.world_count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway
