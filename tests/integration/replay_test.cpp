// Replay on (re)subscribe (ws-protocol.md §4.3 items 3-5, §6): with a last seen seq the gateway replays exactly the
// later persisted frames, in the live shape plus historical:true, then replay-complete; it refuses (recovered:false,
// no partial replay) on an epoch mismatch, a seq beyond the log, or more than AW_REPLAY_MAX_EVENTS frames.
// crud frames are the persisted frames a gateway without processors produces, so they drive these tests.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

#include "tests/integration/assertions.h"

namespace aw::test {
namespace {

constexpr int kReplayCap = 5;

struct ReplayFixture : GatewayFixture {
  GatewayProcess& gateway = shared("replay", {{"AW_REPLAY_MAX_EVENTS", std::to_string(kReplayCap)}});
  std::unique_ptr<WsTestClient> writer = connect(gateway);

  // Creates a world (seq 1, 2) and `agents` agents (seq 3, 4, ...); returns the world id.
  std::string populate(const std::string& name, int agents) {
    auto id = create_world(*writer, name);
    AW_REQUIRE_OK(id);
    for (int i = 0; i < agents; ++i) add_agent(*id, "agent-" + std::to_string(i));
    return *id;
  }
  void add_agent(const std::string& world, const std::string& id) {
    require_success(*writer, "create-agent", JsonObject().set("id", id).set("name", id), world);
  }
};

struct Replay {
  std::vector<Frame> frames;      // the historical frames, in arrival order
  std::optional<Frame> complete;  // the replay-complete status
};

// Reads the replay that follows an ack: historical frames of `world` until replay-complete.
Replay read_replay(WsTestClient& client, const std::string& world) {
  Replay replay;
  for (;;) {
    auto next = client.wait_for([&](const Frame& f) {
      return f.string_at("worldId").value_or("") == world &&
             (f.bool_at("historical").value_or(false) || f.status() == "replay-complete");
    });
    BOOST_REQUIRE_MESSAGE(next.has_value(), "replay of " << world << " did not complete");
    if (next->status() == "replay-complete") {
      replay.complete = std::move(*next);
      return replay;
    }
    replay.frames.push_back(std::move(*next));
  }
}

// After an ack that announced no replay: makes a live frame and requires that nothing historical came before it;
// a replay-complete, if the gateway sends one, must say recovered:false and replayed 0.
void expect_no_replay(WsTestClient& client, WsTestClient& writer, const std::string& world,
                      const std::string& barrier_agent) {
  require_success(writer, "create-agent", JsonObject().set("id", barrier_agent).set("name", barrier_agent), world);
  auto live = client.wait_for([&](const Frame& f) {
    return f.type() == "crud" && f.string_at("payload.entityId").value_or("") == barrier_agent;
  });
  BOOST_REQUIRE_MESSAGE(live.has_value(), "no live crud after the ack");
  BOOST_TEST(!live->has("historical"));
  for (const Frame& f : client.take_queued()) {
    BOOST_TEST(!f.has("historical"), "unexpected replay: " << f.text);
    if (f.status() == "replay-complete") {
      BOOST_TEST(bool_of(f, "payload.recovered") == 0);
      BOOST_TEST(int_of(f, "payload.replayed") == 0);
    }
  }
}

// A historical frame equals the live one except for "historical" (member order aside).
bool same_as_live(const Frame& historical, const Frame& live) {
  Frame copy = make_frame(historical.text, false);
  if (!copy.parsed || !copy.json.IsObject()) return false;
  copy.json.RemoveMember("historical");
  return copy.json == live.json;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(replay, ReplayFixture)

BOOST_AUTO_TEST_CASE(reconnect_with_last_seq_replays_exactly_the_missed_frames) {
  const std::string world = populate("Replay Main World", 0);
  std::vector<Frame> live;
  std::string epoch;
  {
    auto first = connect(gateway);
    const Frame ack = require_subscribed(*first, world);
    epoch = str_of(ack, "payload.epoch");
    for (int i = 0; i < 4; ++i) add_agent(world, "live-" + std::to_string(i));
    for (int i = 0; i < 4; ++i) live.push_back(require_crud(*first, world));
    BOOST_TEST(int_of(live.front(), "seq") == 3);
    BOOST_TEST(int_of(live.back(), "seq") == 6);
  }  // disconnected: the next two frames are missed
  add_agent(world, "missed-0");
  add_agent(world, "missed-1");

  auto second = connect(gateway);
  const Frame ack =
      require_subscribed(*second, world, std::nullopt, JsonObject().set("fromSeq", 4).set("epoch", epoch));
  BOOST_TEST(bool_of(ack, "payload.recovered") == 1);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 4);
  BOOST_TEST(int_of(ack, "payload.seq") == 8);
  BOOST_TEST(int_of(ack, "payload.latestSeq") == 8);
  BOOST_TEST(str_of(ack, "payload.epoch") == epoch);

  const Replay replay = read_replay(*second, world);
  BOOST_REQUIRE(replay.frames.size() == 4u);
  for (std::size_t i = 0; i < replay.frames.size(); ++i) {
    const Frame& f = replay.frames[i];
    BOOST_TEST(f.type() == "crud");
    BOOST_TEST(int_of(f, "seq") == static_cast<std::int64_t>(5 + i));
    BOOST_TEST(bool_of(f, "historical") == 1);
  }
  // Live and replayed copies are the same frame (same seq, timestamp, payload).
  BOOST_TEST(same_as_live(replay.frames[0], live[2]), replay.frames[0].text << " vs " << live[2].text);
  BOOST_TEST(same_as_live(replay.frames[1], live[3]), replay.frames[1].text << " vs " << live[3].text);
  BOOST_TEST(str_of(replay.frames[3], "payload.entityId") == "missed-1");

  const Frame& done = *replay.complete;
  BOOST_TEST(str_of(done, "type") == "status");
  BOOST_TEST(bool_of(done, "replayComplete") == 1);
  BOOST_TEST(bool_of(done, "payload.replayComplete") == 1);
  BOOST_TEST(bool_of(done, "payload.recovered") == 1);
  BOOST_TEST(int_of(done, "payload.seq") == 8);
  BOOST_TEST(int_of(done, "payload.latestSeq") == 8);
  BOOST_TEST(int_of(done, "payload.replayed") == 4);
  BOOST_TEST(str_of(done, "requestId") == str_of(ack, "requestId"));

  // Live frames continue after the replay, without the historical flag.
  add_agent(world, "after-replay");
  const Frame next = require_crud(*second, world);
  BOOST_TEST(int_of(next, "seq") == 9);
  BOOST_TEST(!next.has("historical"));
}

BOOST_AUTO_TEST_CASE(seq_is_accepted_and_wins_over_from_seq) {
  const std::string world = populate("Replay Seq Name World", 2);  // seq 1..4
  auto client = connect(gateway);
  const Frame ack = require_subscribed(*client, world, std::nullopt, JsonObject().set("seq", 3).set("fromSeq", 1));
  BOOST_TEST(bool_of(ack, "payload.recovered") == 1);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 1);
  const Replay replay = read_replay(*client, world);
  BOOST_REQUIRE(replay.frames.size() == 1u);
  BOOST_TEST(int_of(replay.frames[0], "seq") == 4);
}

BOOST_AUTO_TEST_CASE(last_seq_equal_to_latest_is_recovered_with_nothing_to_replay) {
  const std::string world = populate("Replay Up To Date World", 1);  // seq 1..3
  auto client = connect(gateway);
  const Frame ack = require_subscribed(*client, world, std::nullopt, JsonObject().set("fromSeq", 3));
  BOOST_TEST(bool_of(ack, "payload.recovered") == 1);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 0);
  const Replay replay = read_replay(*client, world);
  BOOST_TEST(replay.frames.empty());
  BOOST_TEST(int_of(*replay.complete, "payload.seq") == 3);
  BOOST_TEST(int_of(*replay.complete, "payload.replayed") == 0);
  BOOST_TEST(bool_of(*replay.complete, "payload.recovered") == 1);
}

BOOST_AUTO_TEST_CASE(no_last_seq_means_no_replay) {
  const std::string world = populate("Replay None World", 2);
  for (const JsonObject& extra :
       {JsonObject(), JsonObject().set("fromSeq", 0), JsonObject().set_null("fromSeq"), JsonObject().set_null("seq")}) {
    auto client = connect(gateway);
    const Frame ack = require_subscribed(*client, world, std::nullopt, extra);
    BOOST_TEST_CONTEXT("subscribe extra " << extra.str()) {
      BOOST_TEST(bool_of(ack, "payload.recovered") == 0);
      BOOST_TEST(int_of(ack, "payload.replayCount") == 0);
      BOOST_TEST(int_of(ack, "payload.latestSeq") >= 4);
      expect_no_replay(*client, *writer, world, "barrier-" + next_request_id());
    }
  }
}

BOOST_AUTO_TEST_CASE(epoch_mismatch_is_not_recovered) {
  const std::string world = populate("Replay Epoch World", 2);
  auto client = connect(gateway);
  const Frame ack = require_subscribed(*client, world, std::nullopt,
                                       JsonObject().set("fromSeq", 2).set("epoch", "not-the-epoch-of-this-world"));
  BOOST_TEST(bool_of(ack, "payload.recovered") == 0);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 0);
  BOOST_TEST(int_of(ack, "payload.seq") == 4);
  expect_no_replay(*client, *writer, world, "epoch-barrier");
}

BOOST_AUTO_TEST_CASE(seq_beyond_the_log_is_not_recovered) {
  const std::string world = populate("Replay Beyond World", 1);  // latest 3
  auto client = connect(gateway);
  const Frame ack = require_subscribed(*client, world, std::nullopt, JsonObject().set("fromSeq", 50));
  BOOST_TEST(bool_of(ack, "payload.recovered") == 0);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 0);
  BOOST_TEST(int_of(ack, "payload.seq") == 3);
  expect_no_replay(*client, *writer, world, "beyond-barrier");
}

BOOST_AUTO_TEST_CASE(more_than_the_cap_is_not_recovered_and_never_partial) {
  const std::string world = populate("Replay Cap World", 5);  // seq 1..7
  {
    // 7 - 2 = 5 frames: exactly the cap, replayed.
    auto client = connect(gateway);
    const Frame ack = require_subscribed(*client, world, std::nullopt, JsonObject().set("fromSeq", 2));
    BOOST_TEST(bool_of(ack, "payload.recovered") == 1);
    BOOST_TEST(int_of(ack, "payload.replayCount") == kReplayCap);
    BOOST_TEST(read_replay(*client, world).frames.size() == static_cast<std::size_t>(kReplayCap));
  }
  // 7 - 1 = 6 frames: over the cap, nothing replayed.
  auto client = connect(gateway);
  const Frame ack = require_subscribed(*client, world, std::nullopt, JsonObject().set("fromSeq", 1));
  BOOST_TEST(bool_of(ack, "payload.recovered") == 0);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 0);
  BOOST_TEST(int_of(ack, "payload.latestSeq") == 7);
  expect_no_replay(*client, *writer, world, "cap-barrier");
}

BOOST_AUTO_TEST_CASE(beginning_replays_from_seq_one) {
  const std::string world = populate("Replay Beginning World", 2);  // seq 1..4
  auto client = connect(gateway);
  const Frame ack = require_subscribed(*client, world, std::nullopt, JsonObject().set("fromSeq", "beginning"));
  BOOST_TEST(bool_of(ack, "payload.recovered") == 1);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 4);
  const Replay replay = read_replay(*client, world);
  BOOST_REQUIRE(replay.frames.size() == 4u);
  BOOST_TEST(int_of(replay.frames[0], "seq") == 1);
  BOOST_TEST(str_of(replay.frames[0], "payload.operation") == "create");
  BOOST_TEST(str_of(replay.frames[0], "payload.entityType") == "world");
  BOOST_TEST(str_of(replay.frames[1], "payload.entityType") == "chat");
  BOOST_TEST(int_of(replay.frames[3], "seq") == 4);
}

BOOST_AUTO_TEST_CASE(chat_keyed_subscription_replays_crud) {
  const std::string world = populate("Replay Chat World", 2);
  const std::string chat = current_chat_id(*writer, world);
  auto client = connect(gateway);
  const Frame ack = require_subscribed(*client, world, chat, JsonObject().set("fromSeq", 2));
  BOOST_TEST(str_of(ack, "chatId") == chat);
  BOOST_TEST(bool_of(ack, "payload.recovered") == 1);
  BOOST_TEST(int_of(ack, "payload.replayCount") == 2);
  const Replay replay = read_replay(*client, world);
  BOOST_TEST(replay.frames.size() == 2u);
  BOOST_TEST(str_of(*replay.complete, "chatId") == chat);
}

BOOST_AUTO_TEST_CASE(a_recreated_world_continues_its_seq_with_a_new_epoch) {
  const std::string world = populate("Replay Reborn World", 1);  // seq 1..3
  auto watcher = connect(gateway);
  const Frame before = require_subscribed(*watcher, world);
  const std::string old_epoch = str_of(before, "payload.epoch");
  require_success(*writer, "delete-world", JsonObject(), world);  // seq 4 (crud delete)
  AW_REQUIRE_OK(create_world(*writer, "Replay Reborn World"));

  auto client = connect(gateway);
  const Frame after = require_subscribed(*client, world);
  BOOST_TEST(int_of(after, "payload.latestSeq") >= 6);  // never restarts: 5 and 6 are the new create frames
  BOOST_TEST(str_of(after, "payload.epoch") != old_epoch);
  BOOST_TEST(str_of(after, "payload.epoch").size() >= 16u);
  // The old epoch does not recover anything.
  auto stale = connect(gateway);
  const Frame stale_ack =
      require_subscribed(*stale, world, std::nullopt, JsonObject().set("fromSeq", 3).set("epoch", old_epoch));
  BOOST_TEST(bool_of(stale_ack, "payload.recovered") == 0);
  BOOST_TEST(int_of(stale_ack, "payload.replayCount") == 0);
}

// §4.3 items 3-5 under concurrent writes: whatever the timing, the subscriber sees ack, then only historical frames,
// then replay-complete, then only live frames, and every seq after its last seen one exactly once, ascending (live
// frames that arrive during the replay are held, and those already replayed are dropped).
BOOST_AUTO_TEST_CASE(replay_and_concurrent_live_frames_never_interleave_or_repeat) {
  GatewayProcess& own = start_own();  // default replay cap: the replay must be recoverable
  auto setup = connect(own);
  const std::string world = "replay-race-world";
  AW_REQUIRE_OK(create_world(*setup, "Replay Race World"));
  constexpr int kAgents = 60;
  auto writer_client = connect(own);
  std::atomic<int> written{0};
  std::atomic<bool> writer_failed{false};
  // BOOST assertions are not thread-safe: the writer only records what happened.
  std::thread writer_thread([&] {
    for (int i = 0; i < kAgents; ++i) {
      auto reply = run_command(*writer_client, "create-agent",
                               JsonObject().set("id", "race-" + std::to_string(i)).set("name", "Race"), world);
      if (!reply.is_ok() || !reply->ok()) writer_failed = true;
      ++written;
    }
  });
  // Subscribe while the writer is busy.
  BOOST_TEST(wait_until([&] { return written.load() >= 10; }));
  auto subscriber = connect(own);
  auto ack = subscribe(*subscriber, world, std::nullopt, JsonObject().set("fromSeq", 2));
  writer_thread.join();
  AW_REQUIRE_OK(ack);
  BOOST_REQUIRE(!writer_failed.load());
  BOOST_REQUIRE(ack->status() == "subscribed");
  BOOST_TEST(bool_of(*ack, "payload.recovered") == 1);
  const std::int64_t final_seq = 2 + kAgents;

  std::vector<std::int64_t> seqs;
  bool complete_seen = false;
  while (seqs.empty() || seqs.back() < final_seq) {
    auto next = subscriber->wait_for([&](const Frame& f) {
      return (f.type() == "crud" && f.string_at("worldId").value_or("") == world) || f.status() == "replay-complete";
    });
    BOOST_REQUIRE_MESSAGE(next.has_value(), "stopped after seq " << (seqs.empty() ? 0 : seqs.back()));
    if (next->status() == "replay-complete") {
      BOOST_TEST(!complete_seen);
      complete_seen = true;
      BOOST_TEST(int_of(*next, "payload.replayed") == int_of(*ack, "payload.replayCount"));
      BOOST_TEST(bool_of(*next, "payload.recovered") == 1);
      continue;
    }
    const bool historical = next->bool_at("historical").value_or(false);
    BOOST_TEST(historical == !complete_seen,
               "frame " << next->text << (complete_seen ? " after" : " before") << " replay-complete");
    seqs.push_back(int_of(*next, "seq"));
  }
  BOOST_TEST(complete_seen);
  BOOST_REQUIRE(!seqs.empty());
  BOOST_TEST(seqs.front() == 3);
  for (std::size_t i = 1; i < seqs.size(); ++i) BOOST_TEST(seqs[i] == seqs[i - 1] + 1, "at index " << i);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
