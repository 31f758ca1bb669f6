// The storage queries of the bus's hot paths (docs/benchmarks.md "Session 4"): ChatStore::find_uncounted reads a
// chat without counting its conversation, RunStore::due_pending_keys lists the due pending items' keys in
// dispatch order, and EventLog::append still hands out gap-free seqs per world inside one outer transaction.
#include <optional>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "gateway/storage/run_store.h"
#include "gateway/storage/storage.h"
#include "tests/unit/gateway/temp_dir.h"

namespace aw::gateway::storage {
namespace {

struct BusQueriesFixture {
  test::TempDir dir;
  std::unique_ptr<Storage> storage = Storage::open(dir.file("agent-world-cpp.db"), false).value();

  BusQueriesFixture() {
    for (const char* id : {"w", "v"}) {
      WorldRecord w;
      w.id = id;
      w.name = id;
      w.created_at = w.updated_at = "2025-01-01T00:00:00.000Z";
      BOOST_REQUIRE(storage->worlds().insert(w).is_ok());
      BOOST_REQUIRE(storage->events().open_log(id, "epoch-1").is_ok());
    }
    ChatRecord c;
    c.id = "c1";
    c.world_id = "w";
    c.name = "Named";
    c.description = "about";
    c.created_at = "2025-01-01T00:00:00.000Z";
    c.updated_at = "2025-01-02T00:00:00.000Z";
    BOOST_REQUIRE(storage->chats().insert(c).is_ok());
  }
  void enqueue(const std::string& world, const std::string& id, const std::string& created, std::int64_t priority,
               const std::string& state = "pending", std::optional<std::int64_t> next_attempt_at = std::nullopt) {
    QueueItemRecord q;
    q.world_id = world;
    q.message_id = id;
    q.content = "hello";
    q.sender = "human";
    q.priority = priority;
    q.state = state;
    q.max_attempt = 4;
    q.next_attempt_at = next_attempt_at;
    q.created_at = created;
    BOOST_REQUIRE(storage->queue().insert(q).is_ok());
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(storage_bus_queries, BusQueriesFixture)

BOOST_AUTO_TEST_CASE(find_uncounted_matches_find_without_the_count) {
  ConversationMessage m;
  m.world_id = "w";
  m.message_id = "m1";
  m.chat_id = "c1";
  m.seq = 1;
  m.sender = "human";
  m.content = "hi";
  m.payload = "{}";
  m.created_at = "2025-01-01T00:00:00.000Z";
  BOOST_REQUIRE(storage->conversation().insert(m).value());
  auto counted = storage->chats().find("w", "c1").value();
  auto light = storage->chats().find_uncounted("w", "c1").value();
  BOOST_REQUIRE(counted.has_value());
  BOOST_REQUIRE(light.has_value());
  BOOST_TEST(counted->message_count == 1);
  BOOST_TEST(light->message_count == 0);
  BOOST_TEST(light->id == counted->id);
  BOOST_TEST(light->world_id == counted->world_id);
  BOOST_TEST(light->name == counted->name);
  BOOST_TEST(*light->description == "about");
  BOOST_TEST(light->created_at == counted->created_at);
  BOOST_TEST(light->updated_at == counted->updated_at);
  BOOST_TEST(!storage->chats().find_uncounted("v", "c1").value().has_value());  // another world's chat
  BOOST_TEST(!storage->chats().find_uncounted("w", "nope").value().has_value());
}

BOOST_AUTO_TEST_CASE(due_pending_keys_are_in_dispatch_order) {
  enqueue("w", "old", "2025-01-01T00:00:01.000Z", 0);
  enqueue("v", "urgent", "2025-01-01T00:00:09.000Z", 5);
  enqueue("w", "new", "2025-01-01T00:00:05.000Z", 0);
  enqueue("v", "same-time-later-row", "2025-01-01T00:00:05.000Z", 0);
  enqueue("w", "later", "2025-01-01T00:00:00.000Z", 0, "pending", 2000);  // retry not due before 2000
  enqueue("w", "busy", "2025-01-01T00:00:00.000Z", 9, "processing");
  enqueue("v", "done", "2025-01-01T00:00:00.000Z", 9, "completed");
  auto keys = RunStore(*storage).due_pending_keys(1000).value();
  std::vector<std::string> ids;
  for (const QueueKey& k : keys) ids.push_back(k.world_id + "/" + k.message_id);
  BOOST_TEST(ids == (std::vector<std::string>{"v/urgent", "w/old", "w/new", "v/same-time-later-row"}),
             boost::test_tools::per_element());
  keys = RunStore(*storage).due_pending_keys(2000).value();
  BOOST_REQUIRE(keys.size() == 5u);
  BOOST_TEST(keys[1].message_id == "later");  // due now; the oldest of priority 0
}

BOOST_AUTO_TEST_CASE(appends_in_one_batch_transaction_get_gap_free_seqs_per_world) {
  auto tx = Transaction::begin(storage->db());
  BOOST_REQUIRE(tx.is_ok());
  std::vector<Seq> w_seqs;
  for (int i = 0; i < 5; ++i) {
    NewEvent e;
    e.world_id = i % 2 == 0 ? "w" : "v";
    e.event_type = "sse";
    e.payload = "{}";
    e.ts_ms = 1;
    auto r = storage->events().append(e);
    BOOST_REQUIRE(r.is_ok());
    if (e.world_id == "w") w_seqs.push_back(r.value().seq);
  }
  BOOST_REQUIRE(tx->commit().is_ok());
  BOOST_TEST(w_seqs == (std::vector<Seq>{1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST(storage->events().state("v").value()->last_seq == 2u);
  BOOST_TEST(storage->events().state("w").value()->last_seq == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::storage
