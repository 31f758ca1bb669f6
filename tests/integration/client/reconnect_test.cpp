// Reconnect: the gateway restarts while a client is subscribed and other clients keep changing the world; the
// client reconnects by itself, resubscribes from its last seq and epoch, and ends up with every persisted event of
// the world exactly once, in seq order (replayed ones included).
#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <mutex>
#include <set>
#include <vector>

#include "client/client.h"
#include "tests/integration/client/client_fixture.h"

namespace aw::test {

BOOST_AUTO_TEST_SUITE(client_reconnect)

BOOST_AUTO_TEST_CASE(restart_resumes_with_every_persisted_event_once_in_order) {
  auto gw = start_gateway();
  Recorder persisted;  // crud and event frames with a seq, after de-duplication
  Recorder connection;
  client::Handlers h;
  auto keep = [&](const client::ServerFrame& f) {
    if (f.seq) persisted.add(f);
  };
  h.on_crud = keep;
  h.on_message = keep;
  h.on_sse = keep;
  h.on_world = keep;
  h.on_system = keep;
  std::mutex conn_mutex;
  std::vector<client::ConnectionEvent> conn_events;
  h.on_connection = [&](const client::ConnectionEvent& e) {
    std::lock_guard<std::mutex> lock(conn_mutex);
    conn_events.push_back(e);
  };
  auto options = options_for(*gw);
  // Long enough that the writer below changes the world while this client is away, so the replay path is used.
  options.reconnect_initial = Millis(4000);
  options.reconnect_max = Millis(4000);
  client::Client watcher(options, std::move(h));
  BOOST_TEST_REQUIRE(watcher.start(Millis(5000)).is_ok());

  {
    client::Client writer(options_for(*gw), {});
    BOOST_TEST_REQUIRE(writer.start(Millis(5000)).is_ok());
    BOOST_TEST_REQUIRE(writer.command("", "create-world", "{\"name\":\"Restart\"}").get().is_ok());
  }
  auto ack = watcher.subscribe("restart", std::nullopt).get();
  BOOST_TEST_REQUIRE(ack.is_ok());
  const std::int64_t first_seq = ack->payload_int("seq").value_or(0);

  auto make_agents = [&](client::Client& w, int from, int to) {
    for (int i = from; i < to; ++i) {
      auto r = w.command("restart", "create-agent", "{\"name\":\"agent " + std::to_string(i) + "\"}").get();
      BOOST_TEST_REQUIRE(r.is_ok(), r.status().message());
    }
  };
  {
    client::Client writer(options_for(*gw), {});
    BOOST_TEST_REQUIRE(writer.start(Millis(5000)).is_ok());
    make_agents(writer, 0, 3);
  }
  BOOST_TEST_REQUIRE(persisted.wait([](const auto& v) { return v.size() >= 3; }));

  BOOST_TEST_REQUIRE(gw->restart().is_ok());  // SIGTERM: close 4000 (retryable), new port
  watcher.set_url(gw->url());
  std::int64_t latest = 0;
  {
    client::Client writer(options_for(*gw), {});
    BOOST_TEST_REQUIRE(writer.start(Millis(5000)).is_ok());
    make_agents(writer, 3, 6);  // persisted while the watcher is disconnected
    BOOST_TEST_REQUIRE(writer.command("restart", "new-chat").get().is_ok());
    auto sub = writer.subscribe("restart", std::nullopt).get();
    BOOST_TEST_REQUIRE(sub.is_ok());
    latest = sub->payload_int("latestSeq").value_or(0);
  }
  BOOST_TEST_REQUIRE(latest >= first_seq + 6);
  BOOST_TEST_REQUIRE(
      persisted.wait([&](const auto& v) { return !v.empty() && v.back().seq.value_or(0) >= latest; }, Millis(15000)));
  {
    // One more change after the resubscribe arrives live.
    client::Client writer(options_for(*gw), {});
    BOOST_TEST_REQUIRE(writer.start(Millis(5000)).is_ok());
    make_agents(writer, 6, 7);
  }
  BOOST_TEST_REQUIRE(persisted.wait([&](const auto& v) { return v.back().seq.value_or(0) > latest; }));

  const auto frames = persisted.frames();
  std::int64_t expected = first_seq + 1;
  std::size_t replayed = 0;
  for (const auto& f : frames) {
    BOOST_TEST(*f.seq == expected);  // every seq once, in order, none missing
    expected = *f.seq + 1;
    replayed += f.historical ? 1 : 0;
  }
  BOOST_TEST(replayed >= 3u);  // the changes made during the outage came by replay
  std::lock_guard<std::mutex> lock(conn_mutex);
  bool closed_4000 = false;
  bool reopened = false;
  for (const auto& e : conn_events) {
    closed_4000 =
        closed_4000 || (e.kind == client::ConnectionEvent::Kind::kClosed && e.close_code == 4000 && e.will_retry);
    reopened = reopened || (e.kind == client::ConnectionEvent::Kind::kOpen && e.reconnected);
  }
  BOOST_TEST(closed_4000);
  BOOST_TEST(reopened);
}

BOOST_AUTO_TEST_CASE(epoch_change_while_away_answers_recovered_false_and_asks_for_a_reload) {
  auto gw = start_gateway();
  std::mutex reload_mutex;
  std::condition_variable reload_cv;
  std::vector<std::string> reloads;
  Recorder crud;
  client::Handlers h;
  h.on_reload = [&](const std::string& world, const std::optional<std::string>& chat) {
    {
      std::lock_guard<std::mutex> lock(reload_mutex);
      reloads.push_back(world + ":" + chat.value_or("*"));
    }
    reload_cv.notify_all();
  };
  h.on_crud = [&](const client::ServerFrame& f) { crud.add(f); };
  client::Client watcher(options_for(*gw), std::move(h));
  BOOST_TEST_REQUIRE(watcher.start(Millis(5000)).is_ok());
  BOOST_TEST_REQUIRE(watcher.command("", "create-world", "{\"name\":\"Epoch\"}").get().is_ok());
  auto ack = watcher.subscribe("epoch", std::nullopt).get();
  BOOST_TEST_REQUIRE(ack.is_ok());
  const std::string first_epoch = ack->payload_string("epoch").value_or("");
  BOOST_TEST_REQUIRE(!first_epoch.empty());

  // Away: every attempt fails until the test points the client at the gateway again, so the world is deleted and
  // recreated (a new epoch) deterministically while the client is disconnected.
  watcher.set_url("ws://127.0.0.1:1/");
  BOOST_TEST_REQUIRE(gw->restart().is_ok());
  {
    client::Client writer(options_for(*gw), {});
    BOOST_TEST_REQUIRE(writer.start(Millis(5000)).is_ok());
    BOOST_TEST_REQUIRE(writer.command("epoch", "delete-world").get().is_ok());
    BOOST_TEST_REQUIRE(writer.command("", "create-world", "{\"name\":\"Epoch\"}").get().is_ok());
    BOOST_TEST_REQUIRE(writer.command("epoch", "create-agent", "{\"name\":\"Newcomer\"}").get().is_ok());
  }
  BOOST_TEST(reloads.empty());
  watcher.set_url(gw->url());
  {
    std::unique_lock<std::mutex> lock(reload_mutex);
    BOOST_TEST_REQUIRE(reload_cv.wait_for(lock, Millis(10000), [&] { return !reloads.empty(); }));
    BOOST_TEST(reloads.front() == "epoch:*");
  }
  // What a program does on reload: read the state again with commands.
  auto agents = watcher.command("epoch", "list-agents").get();
  BOOST_TEST_REQUIRE(agents.is_ok());
  BOOST_TEST(agents->raw.find("newcomer") != std::string::npos, agents->raw);
  // The new epoch's live frames arrive (its seen seqs were reset).
  const std::size_t before = crud.count();
  BOOST_TEST_REQUIRE(watcher.command("epoch", "create-agent", "{\"name\":\"Later\"}").get().is_ok());
  BOOST_TEST_REQUIRE(crud.wait([&](const auto& v) { return v.size() > before; }));
  BOOST_TEST(crud.frames().back().payload_string("entityId").value_or("") == "later");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
