// TitleJobs (bus-protocol.md §9, agent-runtime.md §10.2): the job after a completed run, the shared credit with
// `work`, the first result wins, expiry → derived title, compare-and-set on "New Chat".
#include <boost/test/unit_test.hpp>

#include "gateway/bus/title_jobs.h"
#include "tests/unit/gateway/bus/bus_fixture.h"

namespace aw::gateway::bus::test {
namespace {

struct TitleFixture : BusFixture {
  std::unique_ptr<TitleJobs> titles;
  std::string chat;

  TitleFixture() {
    settings.title_timeout_ms = 1000;
    titles =
        std::make_unique<TitleJobs>(storage(), settings, clock, *registry, *dispatcher, output, counters, Logger());
    dispatcher->set_other_outstanding([this] { return titles->outstanding(); });
    chat = create_world("w1");
    create_agent("w1", "a1");
    add_message("w1", chat, "m1", 1);
    add_message("w1", chat, "r1", 2, "a1");
  }

  aw::bus::Commit commit() {
    aw::bus::Commit c;
    c.world_id = "w1";
    aw::bus::CommitMessage m;
    m.sender = "a1";
    c.messages.push_back(m);
    return c;
  }
  aw::bus::Title title_at(std::size_t i) {
    BOOST_REQUIRE(i < output.work.size());
    auto decoded = aw::bus::decode(output.work[i].topic, output.work[i].body);
    BOOST_REQUIRE_MESSAGE(decoded.is_ok(), decoded.status().message());
    return std::get<aw::bus::Title>(decoded.value());
  }
  aw::bus::TitleResult result(const aw::bus::Title& t, std::optional<std::string> text) {
    return aw::bus::TitleResult{"p1", t.dispatch_id, t.world_id, t.chat_id, std::move(text), std::nullopt};
  }
  std::string chat_name() {
    auto found = storage().chats().find("w1", chat);
    BOOST_REQUIRE(found.is_ok() && found.value());
    return found.value()->name;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(bus_title_jobs, TitleFixture)

BOOST_AUTO_TEST_CASE(title_takes_a_slot_that_work_then_cannot_use) {
  titles->on_run_completed(commit(), chat);
  BOOST_TEST(output.work.empty());  // no processor: waits
  hello("p1", 1);                   // the dispatcher pumps first: nothing queued
  titles->pump();
  BOOST_REQUIRE(output.work.size() == 1u);
  const aw::bus::Title t = title_at(0);
  BOOST_TEST(t.provider == "openai");
  BOOST_TEST(t.timeout_ms == 1000);
  BOOST_TEST(t.lines.size() == 2u);
  BOOST_TEST(titles->outstanding() == 1);

  enqueue("w1", "next");
  dispatcher->pump();
  BOOST_TEST(output.work.size() == 1u);  // the one slot is held by the title

  titles->on_result(result(t, std::string("'Nice Title'")));
  BOOST_TEST(titles->outstanding() == 0);
  BOOST_TEST(chat_name() == "Nice Title");
  BOOST_REQUIRE(output.events.size() == 2u);  // crud update chat, then the system event
  BOOST_TEST(str(frame(output.events[0]), "type") == "crud");
  BOOST_TEST(str(frame(output.events[1])["payload"], "content") == "chat-title-updated");
  // Both frames were persisted: agentworld_events_persisted_total counts them once each.
  BOOST_TEST(counters.persisted_events["crud"] == 1);
  BOOST_TEST(counters.persisted_events["system"] == 1);
  dispatcher->pump();
  BOOST_TEST(output.work.size() == 2u);

  titles->on_result(result(t, std::string("Second")));  // ignored
  BOOST_TEST(chat_name() == "Nice Title");
  BOOST_TEST(counters.persisted_events["system"] == 1);  // nothing applied, nothing counted
  titles->on_run_completed(commit(), chat);              // no longer "New Chat"
  titles->pump();
  BOOST_TEST(titles->in_flight() == 0u);
}

BOOST_AUTO_TEST_CASE(expiry_counts_from_creation_and_gives_the_derived_title) {
  titles->on_run_completed(commit(), chat);
  clock.now += 1000 + kTitleGraceMs - 1;
  titles->tick();
  BOOST_TEST(titles->in_flight() == 1u);
  clock.now += 1;
  titles->tick();
  BOOST_TEST(titles->in_flight() == 0u);
  BOOST_TEST(chat_name() == "content of m1");
  BOOST_TEST(counters.persisted_events["crud"] == 1);
  BOOST_TEST(counters.persisted_events["system"] == 1);
}

BOOST_AUTO_TEST_CASE(a_renamed_chat_is_never_retitled) {
  titles->on_run_completed(commit(), chat);
  ok("rename-chat", "{\"chatId\":\"" + chat + "\",\"name\":\"Mine\"}", "w1");
  hello("p1", 1);
  titles->pump();
  titles->on_result(result(title_at(0), std::string("LLM Title")));
  BOOST_TEST(chat_name() == "Mine");
  BOOST_TEST(output.events.empty());
}

BOOST_AUTO_TEST_CASE(derived_mode_needs_no_job) {
  settings.chat_titles = "derived";
  titles->on_run_completed(commit(), chat);
  BOOST_TEST(titles->in_flight() == 0u);
  BOOST_TEST(chat_name() == "content of m1");
}

BOOST_AUTO_TEST_CASE(no_replying_agent_means_derived_title_without_a_job) {
  aw::bus::Commit silent = commit();
  silent.messages.clear();
  titles->on_run_completed(silent, chat);
  BOOST_TEST(titles->in_flight() == 0u);
  BOOST_TEST(chat_name() == "content of m1");
}

BOOST_AUTO_TEST_CASE(off_mode_does_nothing) {
  settings.chat_titles = "off";
  titles->on_run_completed(commit(), chat);
  BOOST_TEST(titles->in_flight() == 0u);
  BOOST_TEST(chat_name() == "New Chat");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::gateway::bus::test
