// The run chat is pinned at the first grant (ws-protocol.md §7.1, §7.2): an item waiting for a retry whose run chat
// was deleted never runs in another chat; it ends `cancelled` (the run's chat was deleted), at the deletion
// (Dispatcher::cancel_orphaned_runs) or, at the latest, when it would be dispatched again.
#include <boost/test/unit_test.hpp>

#include "gateway/bus/work_builder.h"
#include "gateway/storage/run_store.h"
#include "tests/unit/gateway/bus/bus_fixture.h"

namespace aw::gateway::bus::test {
namespace {

struct PinFixture : BusFixture {
  std::string chat;

  // m1 granted in `chat`, then its attempt lost: pending again, waiting for its retry.
  PinFixture() {
    chat = create_world("w1");
    create_agent("w1", "a1");
    enqueue("w1", "m1");
    hello("p1", 1);
    const aw::bus::Work w = work_at(0);
    BOOST_REQUIRE(w.chat_id == chat);
    accept("p1", w);
    dispatcher->fail_attempt("w1", "m1", 1, "processor_lost", "Processing timeout - message was stuck");
    BOOST_REQUIRE(item_state("w1", "m1") == "pending");
    output.work.clear();
    output.statuses.clear();
  }

  void delete_run_chat() {
    ok("new-chat", "{}", "w1");  // another chat to (wrongly) move to
    ok("delete-chat", "{\"chatId\":\"" + chat + "\"}", "w1");
  }
  void expect_cancelled_status() {
    BOOST_REQUIRE(!output.statuses.empty());
    auto doc = parse(*output.statuses.back().json);
    BOOST_TEST(str(doc["payload"], "status") == "failed");
    BOOST_TEST(str(doc["payload"], "code") == "cancelled");
    BOOST_TEST(json::get_bool(doc["payload"], "cancelled").value_or(false));
    BOOST_TEST(!json::get_bool(doc["payload"], "willRetry").value_or(true));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bus_run_chat_pin, PinFixture)

BOOST_AUTO_TEST_CASE(a_retry_runs_in_the_chat_of_the_first_grant) {
  ok("new-chat", "{}", "w1");  // the current chat changes; the run stays where it started
  clock.now += 60'000;
  hb("p1", 1);  // still connected after the wait; pumps
  BOOST_REQUIRE(output.work.size() == 1u);
  BOOST_TEST(work_at(0).chat_id == chat);
  BOOST_TEST(work_at(0).attempt == 2);
}

BOOST_AUTO_TEST_CASE(a_retry_whose_run_chat_was_deleted_is_never_moved) {
  delete_run_chat();
  auto world = storage().worlds().find("w1");
  BOOST_REQUIRE(world.is_ok() && world.value());
  auto run_chat = storage::RunStore(storage()).run_chat(*world.value(), item("w1", "m1"));
  BOOST_REQUIRE(run_chat.is_ok());
  BOOST_TEST(!run_chat.value().has_value());  // not re-resolved to the current chat
  auto work = build_work(storage(), settings, item("w1", "m1"), "d1");
  BOOST_TEST(work.status().code() == kRunChatDeleted);

  // The dispatcher meets it when it is due: it ends cancelled and nothing is pushed.
  clock.now += 60'000;
  hb("p1", 1);  // still connected after the wait; pumps
  BOOST_TEST(output.work.empty());
  BOOST_TEST(item_state("w1", "m1") == "cancelled");
  BOOST_TEST(item("w1", "m1").error_code.value_or("") == "cancelled");
  expect_cancelled_status();
}

BOOST_AUTO_TEST_CASE(deleting_the_run_chat_ends_a_waiting_retry_at_once) {
  delete_run_chat();
  BOOST_REQUIRE(dispatcher->cancel_orphaned_runs("w1").is_ok());
  BOOST_TEST(item_state("w1", "m1") == "cancelled");
  expect_cancelled_status();
  // Items never granted re-resolve their chat (§7.1): a new message still runs, in the current chat.
  enqueue("w1", "m2");
  dispatcher->pump();
  BOOST_REQUIRE(output.work.size() == 1u);
  BOOST_TEST(work_at(0).run_id == "m2");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus::test
