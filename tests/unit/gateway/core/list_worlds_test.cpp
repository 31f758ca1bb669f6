// Tests of list-worlds (gateway/core/world_commands.cpp, gateway/core/world_summary_cache.h): the summaries, the
// principal's scope, and totals that follow every write while an unchanged database is not read again.
#include <boost/test/unit_test.hpp>

#include "tests/unit/gateway/core/core_fixture.h"

namespace aw::gateway::test {
namespace {

BOOST_FIXTURE_TEST_SUITE(list_worlds, CoreFixture)

BOOST_AUTO_TEST_CASE(list_worlds_returns_summaries_in_creation_order_within_scope) {
  create_world("First");
  create_world("Second");
  create_agent("first", "a1");
  auto r = ok("list-worlds");
  BOOST_TEST(r.message == "Found 2 world(s)");
  auto d = data(r);
  BOOST_REQUIRE(d.IsArray());
  BOOST_REQUIRE(d.Size() == 2u);
  BOOST_TEST(str(d[0], "id") == "first");
  BOOST_TEST(*json::get_int(d[0], "agentCount") == 1);
  BOOST_TEST(*json::get_int(d[0], "chatCount") == 1);
  BOOST_TEST(*json::get_int(d[0], "totalAgents") == 1);
  BOOST_TEST(!has(d[0], "agents"));
  BOOST_TEST(!has(d[0], "chats"));
  BOOST_TEST(str(d[1], "id") == "second");

  Principal scoped;
  scoped.worlds = {"second"};
  auto only = run("list-worlds", "{}", std::nullopt, &scoped);
  BOOST_TEST(only.message == "Found 1 world(s)");
  BOOST_TEST(str(data(only)[0], "id") == "second");
}

// The one summary list-worlds shows for `world` (the test worlds are all visible to the admin).
struct Totals {
  std::int64_t agents = -1;
  std::int64_t messages = -1;
  std::int64_t chats = -1;
  bool processing = false;
};

BOOST_AUTO_TEST_CASE(list_worlds_totals_follow_every_write_and_an_unchanged_database_is_not_read) {
  const std::string chat = create_world("First");
  const auto& cache = static_cast<GatewayCoreImpl&>(*core).world_summaries_for_test();
  const auto totals = [&]() {
    auto d = data(ok("list-worlds"));
    Totals t;
    BOOST_REQUIRE(d.IsArray());
    if (d.Size() == 0) return t;
    BOOST_REQUIRE(d.Size() == 1u);
    t.agents = *json::get_int(d[0], "totalAgents");
    BOOST_TEST(*json::get_int(d[0], "agentCount") == t.agents);
    t.messages = *json::get_int(d[0], "totalMessages");
    t.chats = *json::get_int(d[0], "chatCount");
    t.processing = *json::get_bool(d[0], "isProcessing");
    return t;
  };
  Totals t = totals();
  BOOST_TEST((t.agents == 0 && t.messages == 0 && t.chats == 1 && !t.processing));
  // Unchanged database: the cached summaries answer, nothing is read.
  const std::size_t reads = cache.reads();
  BOOST_TEST(totals().chats == 1);
  BOOST_TEST(cache.reads() == reads);

  create_agent("first", "a1");
  BOOST_TEST(totals().agents == 1);
  add_message("first", chat, "m1", 1);  // what a bus commit writes
  BOOST_TEST(totals().messages == 1);
  const std::string second_chat = str(data(ok("new-chat", "{}", std::string("first"))), "currentChatId");
  BOOST_TEST(totals().chats == 2);
  BOOST_REQUIRE(enqueue("first", "q1").status.is_ok());
  auto item = storage().queue().find("first", "q1");
  BOOST_REQUIRE((item.is_ok() && item.value().has_value()));
  storage::QueueItemRecord processing = *item.value();
  processing.state = "processing";
  BOOST_REQUIRE(storage().queue().update(processing).is_ok());
  BOOST_TEST(totals().processing);
  ok("delete-agent", R"({"agentId":"a1"})", std::string("first"));
  BOOST_TEST(totals().agents == 0);
  ok("delete-chat", "{\"chatId\":\"" + second_chat + "\"}", std::string("first"));
  BOOST_TEST(totals().chats == 1);

  // A write that is rolled back: list-worlds inside the transaction sees it but does not keep it.
  {
    auto tx = storage::Transaction::begin(storage().db());
    BOOST_REQUIRE(tx.is_ok());
    BOOST_REQUIRE(storage().db().exec("DELETE FROM message_queue WHERE world_id = 'first'").is_ok());
    BOOST_TEST(!totals().processing);
  }
  BOOST_TEST(totals().processing);

  // Another connection's commit shows once this connection has begun a transaction after it (any other command).
  {
    auto other = storage::Storage::open(options.database_path, false);
    BOOST_REQUIRE(other.is_ok());
    BOOST_REQUIRE(other.value()->db().exec("DELETE FROM messages WHERE world_id = 'first'").is_ok());
  }
  ok("get-world", "{}", std::string("first"));
  BOOST_TEST(totals().messages == 0);

  ok("delete-world", "{}", std::string("first"));
  BOOST_TEST(totals().agents == -1);  // no world left
  BOOST_TEST(ok("list-worlds").message == "Found 0 world(s)");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace aw::gateway::test
