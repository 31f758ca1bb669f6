// Tests of the table stores of gateway/storage/: worlds, agents, chats, the conversation, agent memory, the queue.
#include <boost/test/unit_test.hpp>

#include "gateway/storage/storage.h"
#include "tests/unit/gateway/temp_dir.h"

namespace aw::gateway::storage {
namespace {

struct StoresFixture {
  test::TempDir dir;
  std::unique_ptr<Storage> storage = Storage::open(dir.file("agent-world-cpp.db"), false).value();

  StoresFixture() {
    add_world("w", "2025-01-01T00:00:00.000Z");
    add_chat("c1", "w", "2025-01-01T00:00:01.000Z");
    add_agent("w", "a1", 1);
  }
  void add_world(const std::string& id, const std::string& created) {
    WorldRecord w;
    w.id = id;
    w.name = "World " + id;
    w.created_at = w.updated_at = created;
    BOOST_REQUIRE(storage->worlds().insert(w).is_ok());
  }
  void add_chat(const std::string& id, const std::string& world, const std::string& updated,
                const std::string& name = kNewChatName) {
    ChatRecord c;
    c.id = id;
    c.world_id = world;
    c.name = name;
    c.created_at = "2025-01-01T00:00:00.000Z";
    c.updated_at = updated;
    BOOST_REQUIRE(storage->chats().insert(c).is_ok());
  }
  void add_agent(const std::string& world, const std::string& id, std::int64_t position) {
    AgentRecord a;
    a.world_id = world;
    a.id = id;
    a.name = "Agent " + id;
    a.provider = "openai";
    a.model = "gpt-4";
    a.created_at = a.last_active = "2025-01-01T00:00:00.000Z";
    a.position = position;
    a.rev = 1;
    BOOST_REQUIRE(storage->agents().upsert(a).is_ok());
  }
  void add_message(const std::string& id, const std::string& chat, std::int64_t seq) {
    ConversationMessage m;
    m.world_id = "w";
    m.message_id = id;
    m.chat_id = chat;
    m.seq = seq;
    m.sender = "human";
    m.content = "text " + id;
    m.payload = "{\"messageId\":\"" + id + "\"}";
    m.created_at = "2025-01-01T00:00:00.000Z";
    BOOST_REQUIRE(storage->conversation().insert(m).value());
  }
  void add_memory(const std::string& agent, const std::string& chat, const std::string& message_id) {
    MemoryRecord r;
    r.world_id = "w";
    r.agent_id = agent;
    r.chat_id = chat;
    r.role = "user";
    r.content = "hi";
    r.sender = "human";
    r.message_id = message_id;
    r.created_at = "2025-01-01T00:00:00.000Z";
    BOOST_REQUIRE(storage->memory().insert(r).is_ok());
  }
  QueueItemRecord item(const std::string& id, const std::string& state = "pending") {
    QueueItemRecord q;
    q.world_id = "w";
    q.message_id = id;
    q.chat_id = "c1";
    q.content = "hello";
    q.sender = "human";
    q.state = state;
    q.max_attempt = 4;
    q.created_at = "2025-01-01T00:00:0" + std::to_string(id.size() % 10) + ".000Z";
    return q;
  }
};

BOOST_FIXTURE_TEST_SUITE(stores, StoresFixture)

BOOST_AUTO_TEST_CASE(world_store_round_trips_and_counts) {
  auto w = storage->worlds().find("w").value();
  BOOST_REQUIRE(w.has_value());
  BOOST_TEST(w->name == "World w");
  BOOST_TEST(w->turn_limit == 5);
  BOOST_TEST(!w->description.has_value());
  w->description = "d";
  w->mcp_config = "{}";
  w->updated_at = "2025-02-02T00:00:00.000Z";
  BOOST_REQUIRE(storage->worlds().update(*w).is_ok());
  auto again = storage->worlds().find("w").value();
  BOOST_TEST(*again->description == "d");
  BOOST_TEST(*again->mcp_config == "{}");
  BOOST_TEST(again->updated_at == "2025-02-02T00:00:00.000Z");
  BOOST_REQUIRE(storage->worlds().set_current_chat("w", "c1", "2025-03-03T00:00:00.000Z").is_ok());
  BOOST_TEST(*storage->worlds().find("w").value()->current_chat_id == "c1");
  BOOST_TEST(storage->worlds().next_rev("w").value() == 1);
  BOOST_TEST(storage->worlds().next_rev("w").value() == 2);
  BOOST_TEST(!storage->worlds().next_rev("nope").is_ok());

  add_message("m1", "c1", 1);
  BOOST_REQUIRE(storage->queue().insert(item("p", "processing")).is_ok());
  auto counts = storage->worlds().counts("w").value();
  BOOST_TEST(counts.total_agents == 1);
  BOOST_TEST(counts.total_messages == 1);
  BOOST_TEST(counts.chat_count == 1);
  BOOST_TEST(counts.is_processing);
  BOOST_TEST(storage->worlds().count().value() == 1);
  BOOST_TEST(storage->worlds().insert(*w).code() == "constraint");
}

BOOST_AUTO_TEST_CASE(worlds_list_in_creation_order) {
  add_world("b", "2024-01-01T00:00:00.000Z");
  add_world("c", "2026-01-01T00:00:00.000Z");
  auto list = storage->worlds().list().value();
  BOOST_REQUIRE(list.size() == 3u);
  BOOST_TEST(list[0].id == "b");
  BOOST_TEST(list[1].id == "w");
  BOOST_TEST(list[2].id == "c");
}

BOOST_AUTO_TEST_CASE(deleting_a_world_cascades_to_its_content) {
  add_message("m1", "c1", 1);
  add_memory("a1", "c1", "m1");
  BOOST_TEST(storage->worlds().remove("w").value());
  BOOST_TEST(!storage->worlds().remove("w").value());
  BOOST_TEST(storage->agents().list("w").value().empty());
  BOOST_TEST(storage->chats().list("w").value().empty());
  BOOST_TEST(storage->conversation().count_in_chat("w", "c1").value() == 0);
  BOOST_TEST(storage->memory().count("w", "a1").value() == 0);
}

BOOST_AUTO_TEST_CASE(agent_store_upserts_in_place_and_lists_in_creation_order) {
  add_agent("w", "zeta", 2);
  add_agent("w", "alpha", 3);
  BOOST_TEST(storage->agents().next_position("w").value() == 4);
  auto list = storage->agents().list("w").value();
  BOOST_REQUIRE(list.size() == 3u);
  BOOST_TEST(list[0].id == "a1");
  BOOST_TEST(list[1].id == "zeta");
  BOOST_TEST(list[2].id == "alpha");

  add_memory("a1", "c1", "m1");
  auto a1 = *storage->agents().find("w", "a1").value();
  a1.model = "other";
  a1.temperature = 0.5;
  a1.llm_call_count = 3;
  BOOST_REQUIRE(storage->agents().upsert(a1).is_ok());
  auto again = *storage->agents().find("w", "a1").value();
  BOOST_TEST(again.model == "other");
  BOOST_TEST(*again.temperature == 0.5);
  BOOST_TEST(again.llm_call_count == 3);
  BOOST_TEST(storage->memory().count("w", "a1").value() == 1);  // an update never deletes memory

  BOOST_TEST(storage->agents().remove("w", "a1").value());
  BOOST_TEST(storage->memory().count("w", "a1").value() == 0);
  BOOST_TEST(!storage->agents().remove("w", "a1").value());
  BOOST_TEST(!storage->agents().find("w", "a1").value().has_value());
}

BOOST_AUTO_TEST_CASE(chat_store_orders_by_update_and_counts_messages) {
  add_chat("c2", "w", "2025-01-01T00:00:05.000Z");
  add_chat("c3", "w", "2025-01-01T00:00:03.000Z");
  add_message("m1", "c3", 1);
  auto list = storage->chats().list("w").value();
  BOOST_REQUIRE(list.size() == 3u);
  BOOST_TEST(list[0].id == "c2");
  BOOST_TEST(list[1].id == "c3");
  BOOST_TEST(list[1].message_count == 1);
  BOOST_TEST(list[2].id == "c1");
  BOOST_TEST(storage->chats().most_recently_updated("w").value()->id == "c2");
  BOOST_TEST(!storage->chats().find("other-world", "c1").value().has_value());

  auto c1 = *storage->chats().find("w", "c1").value();
  c1.name = "Renamed";
  c1.updated_at = "2025-09-09T00:00:00.000Z";
  BOOST_REQUIRE(storage->chats().update(c1).is_ok());
  BOOST_TEST(storage->chats().most_recently_updated("w").value()->name == "Renamed");
  BOOST_TEST(storage->chats().remove("w", "c3").value());
  BOOST_TEST(storage->conversation().count_in_chat("w", "c3").value() == 0);
}

BOOST_AUTO_TEST_CASE(reusable_new_chat_must_be_empty_and_named_new_chat) {
  BOOST_TEST(storage->chats().find_reusable_new_chat("w").value()->id == "c1");
  add_chat("c2", "w", "2025-01-01T00:00:09.000Z");
  BOOST_TEST(storage->chats().find_reusable_new_chat("w").value()->id == "c2");  // most recently updated
  BOOST_REQUIRE(storage->queue().insert(item("q2")).is_ok());                    // pending item names c1 ...
  auto q = item("q3");
  q.chat_id = "c2";
  BOOST_REQUIRE(storage->queue().insert(q).is_ok());  // ... and c2
  BOOST_TEST(!storage->chats().find_reusable_new_chat("w").value().has_value());
  q.state = "completed";
  BOOST_REQUIRE(storage->queue().update(q).is_ok());
  BOOST_TEST(storage->chats().find_reusable_new_chat("w").value()->id == "c2");
  add_message("m1", "c2", 1);
  BOOST_TEST(!storage->chats().find_reusable_new_chat("w").value().has_value());
  add_chat("c4", "w", "2025-01-01T00:00:10.000Z", "Named");
  BOOST_TEST(!storage->chats().find_reusable_new_chat("w").value().has_value());
}

BOOST_AUTO_TEST_CASE(conversation_insert_is_idempotent_and_ordered) {
  add_message("m2", "c1", 2);
  add_message("m1", "c1", 1);
  ConversationMessage again;
  again.world_id = "w";
  again.message_id = "m1";
  again.chat_id = "c1";
  again.seq = 9;
  again.payload = "{}";
  BOOST_TEST(!storage->conversation().insert(again).value());  // INSERT OR IGNORE
  auto list = storage->conversation().list("w", "c1").value();
  BOOST_REQUIRE(list.size() == 2u);
  BOOST_TEST(list[0].message_id == "m1");
  BOOST_TEST(list[1].message_id == "m2");
}

BOOST_AUTO_TEST_CASE(conversation_pages_never_split_a_seq) {
  add_message("m1", "c1", 1);
  add_message("m2", "c1", 2);
  add_message("m3", "c1", 2);  // shares seq 2 (a bus gap)
  add_message("m4", "c1", 3);
  auto page = storage->conversation().page("w", "c1", std::nullopt, 2).value();
  BOOST_REQUIRE(page.messages.size() == 3u);  // m4 and both seq-2 rows
  BOOST_TEST(page.messages[0].message_id == "m2");
  BOOST_TEST(page.messages[2].message_id == "m4");
  BOOST_TEST(page.has_more);
  auto next = storage->conversation().page("w", "c1", 2, 2).value();
  BOOST_REQUIRE(next.messages.size() == 1u);
  BOOST_TEST(next.messages[0].message_id == "m1");
  BOOST_TEST(!next.has_more);
  BOOST_TEST(storage->conversation().page("w", "c1", 1, 5).value().messages.empty());
}

BOOST_AUTO_TEST_CASE(memory_store_keeps_recent_rows_and_clears_by_chat) {
  add_chat("c2", "w", "2025-01-01T00:00:02.000Z");
  add_memory("a1", "c1", "m1");
  add_memory("a1", "c1", "m1");  // duplicate ignored
  add_memory("a1", "c1", "m2");
  add_memory("a1", "c2", "m3");
  BOOST_TEST(storage->memory().count("w", "a1").value() == 3);
  auto recent = storage->memory().recent("w", "a1", 2).value();
  BOOST_REQUIRE(recent.size() == 2u);
  BOOST_TEST(recent[0].message_id == "m2");  // oldest first
  BOOST_TEST(recent[1].message_id == "m3");
  BOOST_TEST(storage->memory().clear("w", "a1", std::string("c1")).value() == 2);
  BOOST_TEST(storage->memory().clear("w", "a1", std::nullopt).value() == 1);
  BOOST_TEST(storage->memory().count("w", "a1").value() == 0);
}

BOOST_AUTO_TEST_CASE(queue_store_tracks_states) {
  BOOST_REQUIRE(storage->queue().insert(item("p1")).is_ok());
  BOOST_REQUIRE(storage->queue().insert(item("p22")).is_ok());
  BOOST_REQUIRE(storage->queue().insert(item("r", "processing")).is_ok());
  BOOST_REQUIRE(storage->queue().insert(item("f1", "failed")).is_ok());
  BOOST_TEST(storage->queue().insert(item("p1")).code() == "constraint");
  BOOST_TEST(storage->queue().count_in_state("w", "pending").value() == 2);
  BOOST_TEST(storage->queue().active("w").value().size() == 3u);
  auto counts = storage->queue().world_counts("w").value();
  BOOST_TEST(counts.pending == 2);
  BOOST_TEST(counts.processing == 1);
  BOOST_TEST(counts.failed == 1);
  BOOST_TEST(*counts.oldest_pending_at == "2025-01-01T00:00:02.000Z");
  auto by_state = storage->queue().counts_by_state().value();
  BOOST_REQUIRE(by_state.size() == 5u);
  BOOST_TEST(by_state[0].first == "pending");
  BOOST_TEST(by_state[0].second == 2);
  BOOST_TEST(by_state[4].first == "cancelled");
  BOOST_TEST(by_state[4].second == 0);

  auto f = *storage->queue().find("w", "f1").value();
  BOOST_TEST(f.max_attempt == 4);
  f.error = "boom";
  f.error_code = "internal";
  f.finished_at = "2025-05-05T00:00:00.000Z";
  BOOST_REQUIRE(storage->queue().update(f).is_ok());
  auto failed = storage->queue().failed(std::string("w"), 10).value();
  BOOST_REQUIRE(failed.size() == 1u);
  BOOST_TEST(*failed[0].error == "boom");
  BOOST_TEST(storage->queue().failed(std::nullopt, 10).value().size() == 1u);
  BOOST_TEST(storage->queue().delete_world("w").value() == 4);
  BOOST_TEST(!storage->queue().find("w", "p1").value().has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::storage
