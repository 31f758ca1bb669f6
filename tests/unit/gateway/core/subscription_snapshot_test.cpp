// Tests of subscribe snapshots and replay (gateway/core/subscription_snapshot.cpp) and of append_event.
#include <boost/test/unit_test.hpp>

#include "tests/unit/gateway/core/core_fixture.h"

namespace aw::gateway::test {
namespace {

struct SubscribeFixture : CoreFixture {
  SubscribeFixture() {
    options.replay_max_events = 5;
    reopen();
    chat = create_world("W");  // seq 1 (crud world), 2 (crud chat)
  }
  std::string chat;

  PersistedFrame event(const std::optional<std::string>& chat_id, const std::string& type = "message",
                       std::optional<std::string> run = std::nullopt,
                       std::optional<std::int64_t> attempt = std::nullopt) {
    auto r = core->append_event("w", chat_id, type, R"({"content":"x","sender":"human"})", run, attempt, std::nullopt);
    BOOST_REQUIRE_MESSAGE(r.is_ok(), r.status().message());
    return r.value();
  }
  SubscribeSnapshot subscribe(std::optional<std::string> chat_id, std::optional<Seq> last_seq,
                              std::optional<std::string> epoch = std::nullopt, std::string world = "w") {
    return core->subscribe(SubscribeRequest{world, std::move(chat_id), last_seq, std::move(epoch)});
  }
  static std::vector<Seq> seqs(const SubscribeSnapshot& s) {
    std::vector<Seq> out;
    for (const auto& f : s.replay) out.push_back(f.seq);
    return out;
  }
};

BOOST_FIXTURE_TEST_SUITE(subscription_snapshot, SubscribeFixture)

BOOST_AUTO_TEST_CASE(unknown_world_has_seq_zero_and_no_epoch) {
  auto s = subscribe(std::nullopt, 0, std::nullopt, "nope");
  BOOST_TEST(!s.world_exists);
  BOOST_TEST(s.latest_seq == 0u);
  BOOST_TEST(!s.epoch.has_value());
  BOOST_TEST(!s.recovered);
  BOOST_TEST(s.replay.empty());
  ok("delete-world", "{}", std::string("w"));  // a tombstone is still "unknown" to subscribers
  auto tomb = subscribe(std::nullopt, 0);
  BOOST_TEST(!tomb.world_exists);
  BOOST_TEST(tomb.latest_seq == 0u);
}

BOOST_AUTO_TEST_CASE(no_last_seq_means_no_replay) {
  event(chat);
  auto s = subscribe(std::nullopt, std::nullopt);
  BOOST_TEST(s.world_exists);
  BOOST_TEST(s.chat_exists);
  BOOST_TEST(s.latest_seq == 3u);
  BOOST_TEST(s.epoch.has_value());
  BOOST_TEST(s.epoch->size() >= 16u);
  BOOST_TEST(!s.recovered);
  BOOST_TEST(s.replay.empty());
}

BOOST_AUTO_TEST_CASE(replay_from_zero_returns_every_frame_in_historical_shape) {
  auto live = event(chat, "sse", std::string("run-1"), 1);
  auto s = subscribe(std::nullopt, 0);
  BOOST_TEST(s.recovered);
  BOOST_TEST(seqs(s) == (std::vector<Seq>{1, 2, 3}));
  auto crud = frame(s.replay[0]);
  BOOST_TEST(str(crud, "type") == "crud");
  BOOST_TEST(*json::get_bool(crud, "historical") == true);
  BOOST_TEST(!has(crud, "chatId"));
  // The replayed event is the live frame plus "historical":true, byte for byte.
  std::string expected = *live.live_json;
  expected.insert(expected.size() - 1, ",\"historical\":true");
  BOOST_TEST(*s.replay[2].live_json == expected);
  auto e = frame(s.replay[2]);
  BOOST_TEST(str(e, "type") == "event");
  BOOST_TEST(str(e, "worldId") == "w");
  BOOST_TEST(str(e, "chatId") == chat);
  BOOST_TEST(*json::get_int(e, "seq") == 3);
  BOOST_TEST(str(e, "eventType") == "sse");
  BOOST_TEST(str(e, "runId") == "run-1");
  BOOST_TEST(*json::get_int(e, "attempt") == 1);
  BOOST_TEST(str(e["payload"], "content") == "x");
  BOOST_TEST(*s.replay[2].chat_id == chat);
  BOOST_TEST(!s.replay[0].chat_id.has_value());
}

BOOST_AUTO_TEST_CASE(live_event_frame_shape) {
  auto f = event(chat, "message", std::string("m1"));
  auto doc = frame(f);
  BOOST_TEST(str(doc, "type") == "event");
  BOOST_TEST(str(doc, "eventType") == "message");
  BOOST_TEST(str(doc, "runId") == "m1");
  BOOST_TEST(!has(doc, "attempt"));  // the trigger carries runId only
  BOOST_TEST(!has(doc, "historical"));
  BOOST_TEST(json::get_int(doc, "timestamp").has_value());
  BOOST_TEST(f.seq == 3u);
  auto no_chat = frame(event(std::nullopt, "system"));
  BOOST_TEST(!has(no_chat, "chatId"));
  bool counted = false;
  for (const auto& [type, n] : core->persisted_event_counts()) {
    if (type == "message") counted = n == 1;
  }
  BOOST_TEST(counted);
}

BOOST_AUTO_TEST_CASE(append_event_errors) {
  BOOST_TEST(
      core->append_event("nope", chat, "message", "{}", std::nullopt, std::nullopt, std::nullopt).status().code() ==
      "world_not_found");
  BOOST_TEST(
      core->append_event("w", chat, "message", "[1]", std::nullopt, std::nullopt, std::nullopt).status().code() ==
      "invalid_request");
}

BOOST_AUTO_TEST_CASE(replay_after_a_seq_returns_only_newer_frames) {
  event(chat);  // 3
  event(chat);  // 4
  auto s = subscribe(std::nullopt, 3);
  BOOST_TEST(s.recovered);
  BOOST_TEST(seqs(s) == (std::vector<Seq>{4}));
  auto caught_up = subscribe(std::nullopt, 4);
  BOOST_TEST(caught_up.recovered);
  BOOST_TEST(caught_up.replay.empty());
}

BOOST_AUTO_TEST_CASE(chat_subscription_gets_its_chat_and_chatless_frames) {
  add_message("w", chat, "h1", 1);
  const std::string other = str(data(ok("new-chat", "{}", std::string("w"))), "currentChatId");  // 3, 4
  event(chat);                                                                                   // 5
  event(other);                                                                                  // 6
  event(std::nullopt);                                                                           // 7
  auto s = subscribe(chat, 1);  // 5 matching frames: exactly the cap
  BOOST_TEST(s.chat_exists);
  BOOST_TEST(s.recovered);
  BOOST_TEST(seqs(s) == (std::vector<Seq>{2, 3, 4, 5, 7}));
  auto unknown_chat = subscribe(std::string("not-a-chat"), 4);
  BOOST_TEST(!unknown_chat.chat_exists);
  BOOST_TEST(seqs(unknown_chat) == (std::vector<Seq>{5, 6, 7}));  // filters like a world-wide subscription
}

BOOST_AUTO_TEST_CASE(epoch_mismatch_is_not_recovered) {
  event(chat);
  auto current = subscribe(std::nullopt, std::nullopt);
  auto good = subscribe(std::nullopt, 1, current.epoch);
  BOOST_TEST(good.recovered);
  BOOST_TEST(good.replay.size() == 2u);
  auto bad = subscribe(std::nullopt, 1, std::string("another-epoch"));
  BOOST_TEST(!bad.recovered);
  BOOST_TEST(bad.replay.empty());
  BOOST_TEST(bad.latest_seq == 3u);
}

BOOST_AUTO_TEST_CASE(seq_beyond_latest_is_not_recovered) {
  auto s = subscribe(std::nullopt, 99);
  BOOST_TEST(!s.recovered);
  BOOST_TEST(s.replay.empty());
}

BOOST_AUTO_TEST_CASE(more_than_the_cap_is_not_recovered_and_never_partial) {
  for (int i = 0; i < 4; ++i) event(chat);  // 3..6: 6 frames in all, cap 5
  auto over = subscribe(std::nullopt, 0);
  BOOST_TEST(!over.recovered);
  BOOST_TEST(over.replay.empty());
  auto at_cap = subscribe(std::nullopt, 1);  // 5 frames
  BOOST_TEST(at_cap.recovered);
  BOOST_TEST(at_cap.replay.size() == 5u);
}

BOOST_AUTO_TEST_CASE(superseded_frames_are_never_replayed) {
  event(chat, "sse", std::string("r1"), 1);  // 3
  event(chat, "sse", std::string("r1"), 2);  // 4
  BOOST_REQUIRE(storage().events().mark_superseded("w", "r1", 1).value() == 1);
  auto s = subscribe(std::nullopt, 2);
  BOOST_TEST(s.recovered);
  BOOST_TEST(seqs(s) == (std::vector<Seq>{4}));
}

BOOST_AUTO_TEST_CASE(pruned_range_is_not_recovered) {
  event(chat);
  event(chat);
  BOOST_REQUIRE(storage().events().prune_through("w", 3).is_ok());
  BOOST_TEST(!subscribe(std::nullopt, 1).recovered);
  auto after_prune = subscribe(std::nullopt, 3);
  BOOST_TEST(after_prune.recovered);
  BOOST_TEST(seqs(after_prune) == (std::vector<Seq>{4}));
}

BOOST_AUTO_TEST_CASE(deleted_chat_events_leave_a_gap_that_replay_skips) {
  add_message("w", chat, "h1", 1);
  const std::string other = str(data(ok("new-chat", "{}", std::string("w"))), "currentChatId");  // 3, 4
  event(other);                                                                                  // 5
  event(chat);                                                                                   // 6
  ok("delete-chat", "{\"chatId\":\"" + chat + "\"}", std::string("w"));                          // 7
  auto s = subscribe(std::nullopt, 4);
  BOOST_TEST(s.recovered);
  BOOST_TEST(seqs(s) == (std::vector<Seq>{5, 7}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::test
