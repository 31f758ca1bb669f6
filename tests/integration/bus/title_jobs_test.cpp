// Chat titles over the bus, gateway side (bus-protocol.md §9, agent-runtime.md §10.2), against a scripted
// processor: the `title` job after a completed run in a "New Chat" (credit rule, provider/model, lines,
// timeoutMs), the first title-result wins and is cleaned up, null or no answer in time → derived title, and
// AW_CHAT_TITLES=derived pushes no job. One end-to-end case with the real aw-processor and aw-fake-llm.
#include <boost/test/unit_test.hpp>

#include "tests/integration/bus/support/bus_fixture.h"
#include "tests/integration/processor/fake_llm_process.h"
#include "tests/support/processor_process.h"

namespace aw::test {
namespace {

using namespace aw::bus;

constexpr std::int64_t kTitleTimeoutMs = 300;

EnvMap titles_env(const std::string& mode) {
  return {{"AW_CHAT_TITLES", mode}, {"AW_TITLE_TIMEOUT_MS", std::to_string(kTitleTimeoutMs)}};
}

struct LlmTitles : BusFixture {
  LlmTitles() : BusFixture(titles_env("llm")) {}
};
struct DerivedTitles : BusFixture {
  DerivedTitles() : BusFixture(titles_env("derived")) {}
};

std::function<bool(const BusMessage&)> is_ack(CommitResult result) {
  return [result](const BusMessage& m) {
    const auto* a = as<CommitAck>(m);
    return a != nullptr && a->result == result;
  };
}

// One run to completion: read, accept, grant, commit with one reply of a1; the processor then reports 0 free
// slots, so nothing more is pushed until the test frees one.
Work complete_run(ScriptedProcessor& p, const std::string& reply) {
  auto work = p.next_work();
  BOOST_REQUIRE(work.has_value());
  p.accept(*work);
  BOOST_REQUIRE(p.wait_ctl([&](const BusMessage& m) {
                   const auto* g = as<Grant>(m);
                   return g != nullptr && g->dispatch_id == work->dispatch_id;
                 }).has_value());
  p.set_slots(0);
  p.heartbeat();
  p.send(p.make_commit(*work, -1, "reply-" + work->run_id, reply));
  BOOST_REQUIRE(p.wait_ctl(is_ack(CommitResult::Applied)).has_value());
  return *work;
}

// The crud update of `chat_id` (then its system event) seen by `watcher`; returns the new name.
std::optional<std::string> wait_title(WsTestClient& watcher, const std::string& chat_id,
                                      Millis timeout = Millis(5000)) {
  auto crud = watcher.wait_for(
      [&](const Frame& f) {
        return f.type() == "crud" && f.string_at("payload.entityType") == std::string("chat") &&
               f.string_at("payload.operation") == std::string("update") && f.string_at("payload.entityId") == chat_id;
      },
      timeout);
  if (!crud) return std::nullopt;
  auto system = watcher.wait_for([&](const Frame& f) {
    return f.string_at("eventType") == std::string("system") &&
           f.string_at("payload.content") == std::string("chat-title-updated") &&
           f.string_at("payload.chatId") == chat_id;
  });
  BOOST_TEST(system.has_value());
  return crud->string_at("payload.entityData.name");
}

std::string chat_name(BusFixture& fx, const std::string& world, const std::string& chat_id) {
  auto chats = fx.command("list-chats", JsonObject(), world);
  for (std::size_t i = 0; i < chats.data_array_size().value_or(0); ++i) {
    const std::string at = std::to_string(i);
    if (chats.data_string(at + ".id") == chat_id) return chats.data_string(at + ".name").value_or("");
  }
  return "<no chat>";
}

// A PUB message the gateway answers, sent after others on the same stream: once its answer is seen, everything
// sent before it was handled.
void sync_events(ScriptedProcessor& p, const Work& work) {
  p.send(p.make_commit(work, -1, "reply-" + work.run_id, "x"));
  BOOST_REQUIRE(p.wait_ctl(is_ack(CommitResult::Duplicate)).has_value());
}

TitleResult answer(const ScriptedProcessor& p, const Title& t, std::optional<std::string> title) {
  TitleResult r;
  r.processor_id = p.id();
  r.dispatch_id = t.dispatch_id;
  r.world_id = t.world_id;
  r.chat_id = t.chat_id;
  r.title = std::move(title);
  if (!r.title) r.error = "provider not configured";
  return r;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(title_jobs, LlmTitles)

BOOST_AUTO_TEST_CASE(completed_run_pushes_a_title_job_and_the_first_result_renames_the_chat) {
  const std::string world = create_world("Title World");
  auto watcher = connect_client();
  BOOST_REQUIRE(subscribe(*watcher, world).is_ok());
  auto p = ready_processor();
  send_message(world, "t-1", "hello there");
  const Work work = complete_run(*p, "hello back");

  // Credit rule: no free slot, no title job.
  BOOST_TEST(!p->next_title(Millis(600)).has_value());
  p->set_slots(1);
  p->heartbeat();
  auto title = p->next_title();
  BOOST_REQUIRE(title.has_value());
  BOOST_TEST(title->world_id == world);
  BOOST_TEST(title->chat_id == work.chat_id);
  BOOST_TEST(title->provider == "openai");  // a1's provider and model (no world chat model)
  BOOST_TEST(title->model == "gpt-4");
  BOOST_TEST(title->timeout_ms == kTitleTimeoutMs);
  BOOST_REQUIRE(title->lines.size() == 2u);
  BOOST_TEST(title->lines[0] == "-user: hello there");
  BOOST_TEST(title->lines[1] == "-assistant: hello back");

  p->send(answer(*p, *title, std::string("  \"**Friendly**\n\n Greeting  Exchange\"  ")));
  BOOST_TEST(wait_title(*watcher, work.chat_id).value_or("<none>") == "Friendly Greeting Exchange");

  // A second answer for the same dispatchId is ignored.
  p->send(answer(*p, *title, std::string("Something Else")));
  sync_events(*p, work);
  BOOST_TEST(chat_name(*this, world, work.chat_id) == "Friendly Greeting Exchange");

  // A chat with a title gets no further job.
  p->set_slots(1);
  p->heartbeat();
  send_message(world, "t-2", "more");
  const Work second = complete_run(*p, "more back");
  p->set_slots(1);
  p->heartbeat();
  BOOST_TEST(!p->next_title(Millis(600)).has_value());
  BOOST_TEST(second.chat_id == work.chat_id);
}

BOOST_AUTO_TEST_CASE(world_chat_model_is_used_and_a_null_result_gives_the_derived_title) {
  const std::string world = create_world("Null Title");
  command("update-world", JsonObject().set("chatLLMProvider", "anthropic").set("chatLLMModel", "claude-x"), world);
  auto watcher = connect_client();
  BOOST_REQUIRE(subscribe(*watcher, world).is_ok());
  auto p = ready_processor(2);
  send_message(world, "n-1", "  what   is\n the weather  ");
  const Work work = complete_run(*p, "sunny");
  p->set_slots(1);
  p->heartbeat();
  auto title = p->next_title();
  BOOST_REQUIRE(title.has_value());
  BOOST_TEST(title->provider == "anthropic");
  BOOST_TEST(title->model == "claude-x");
  p->send(answer(*p, *title, std::nullopt));
  BOOST_TEST(wait_title(*watcher, work.chat_id).value_or("<none>") == "what is the weather");
}

BOOST_AUTO_TEST_CASE(no_answer_in_time_gives_the_derived_title) {
  const std::string world = create_world("Silent Title");
  auto watcher = connect_client();
  BOOST_REQUIRE(subscribe(*watcher, world).is_ok());
  auto p = ready_processor();
  const std::string long_text(80, 'w');
  send_message(world, "s-1", long_text);
  const Work work = complete_run(*p, "ok");
  p->set_slots(1);
  p->heartbeat();
  auto title = p->next_title();
  BOOST_REQUIRE(title.has_value());
  const auto read_at = Clock::now();
  // AW_TITLE_TIMEOUT_MS + 5000 from the job's creation; derived = the first 50 characters.
  auto name = wait_title(*watcher, work.chat_id, Millis(kTitleTimeoutMs + 8000));
  BOOST_TEST(name.value_or("<none>") == std::string(50, 'w'));
  const auto waited_ms = std::chrono::duration_cast<Millis>(Clock::now() - read_at).count();
  BOOST_TEST(waited_ms >= kTitleTimeoutMs + 5000 - 1000);
  // The late answer changes nothing.
  p->send(answer(*p, *title, std::string("Too Late")));
  sync_events(*p, work);
  BOOST_TEST(chat_name(*this, world, work.chat_id) == std::string(50, 'w'));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(title_jobs_derived, DerivedTitles)

BOOST_AUTO_TEST_CASE(derived_mode_renames_without_a_title_job) {
  const std::string world = create_world("Derived Title");
  auto watcher = connect_client();
  BOOST_REQUIRE(subscribe(*watcher, world).is_ok());
  auto p = ready_processor();
  send_message(world, "d-1", "plan a trip");
  const Work work = complete_run(*p, "sure");
  BOOST_TEST(wait_title(*watcher, work.chat_id).value_or("<none>") == "plan a trip");
  p->set_slots(1);
  p->heartbeat();
  BOOST_TEST(!p->next_title(Millis(600)).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(title_jobs_e2e)

BOOST_AUTO_TEST_CASE(real_processor_titles_the_chat_through_the_fake_llm) {
  FakeLlmOptions fo;
  fo.binary = AW_FAKE_LLM_BINARY;
  fo.script_json = R"({"rules":[{"match":{"contains":"Generate a short, punchy title"},"reply":"\"Fake Title\""},)"
                   R"({"match":{"any":true},"reply":"hello human"}]})";
  auto fake = FakeLlmProcess::start(fo);
  BOOST_REQUIRE_MESSAGE(fake.is_ok(), fake.status().message());
  BusFixture fx(titles_env("llm"));
  ProcessorOptions po;
  po.binary = AW_PROCESSOR_BINARY;
  po.env = {{"AW_BUS_WORK", fx.gateway->env().at("AW_BUS_WORK")},
            {"AW_BUS_EVENTS", fx.gateway->env().at("AW_BUS_EVENTS")},
            {"AW_BUS_CTL", fx.gateway->env().at("AW_BUS_CTL")},
            {"OPENAI_COMPATIBLE_BASE_URL", fake.value()->base_url() + "/v1"}};
  auto proc = ProcessorProcess::start(po);
  BOOST_REQUIRE_MESSAGE(proc.is_ok(), proc.status().message());

  auto world = fx.command("create-world", JsonObject().set("name", "E2E Title"), std::nullopt);
  const std::string world_id = world.data_string("id").value_or("");
  const std::string chat_id = world.data_string("currentChatId").value_or("");
  fx.command("create-agent", JsonObject().set("name", "a1").set("provider", "openai-compatible").set("model", "fm"),
             world_id);
  auto watcher = fx.connect_client();
  BOOST_REQUIRE(subscribe(*watcher, world_id).is_ok());
  fx.send_message(world_id, "e2e-1", "tell me about titles");
  BOOST_TEST(wait_title(*watcher, chat_id, Millis(15000)).value_or("<none>") == "Fake Title");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
