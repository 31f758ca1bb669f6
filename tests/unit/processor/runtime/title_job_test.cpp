// Title jobs: the processor's non-streaming title request (agent-runtime.md §10.2, bus-protocol.md §9).
#include "processor/runtime/title_job.h"

#include <boost/test/unit_test.hpp>

#include "tests/unit/processor/scripted_llm_client.h"

using namespace aw;
using namespace aw::processor;
using aw::processor::testing::ScriptedLlmClient;

namespace {

const char* kJob = R"({"v":1,"kind":"title","dispatchId":"d1","worldId":"w","chatId":"c1","provider":"openai",
  "model":"gpt-4o-mini","lines":["-user: How do I bake bread?","-assistant: Start with flour."],"timeoutMs":30000})";

TitleJob job() {
  auto parsed = parse_title_job(kJob);
  BOOST_REQUIRE_MESSAGE(parsed.is_ok(), parsed.status().message());
  return parsed.value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(title_job)

BOOST_AUTO_TEST_CASE(the_request_uses_the_exact_prompt_texts) {
  LlmRequest request = title_request(job());
  BOOST_TEST(request.provider == "openai");
  BOOST_TEST(request.model == "gpt-4o-mini");
  BOOST_TEST(!request.stream);
  BOOST_TEST(*request.max_tokens == 20);
  BOOST_TEST(request.timeout.count() == 30000);
  BOOST_TEST(!request.temperature.has_value());
  BOOST_REQUIRE(request.messages.size() == 2u);
  BOOST_TEST(request.messages[0].role == "system");
  BOOST_TEST(request.messages[0].content ==
             "You are a helpful assistant that turns conversations into concise titles.");
  BOOST_TEST(request.messages[1].role == "user");
  BOOST_TEST(request.messages[1].content ==
             "Below is a conversation between a user and an assistant. Generate a short, punchy title (3\u20136 words) "
             "that captures its main topic.\n\n-user: How do I bake bread?\n-assistant: Start with flour.");
}

BOOST_AUTO_TEST_CASE(the_raw_completion_is_returned_untouched) {
  ScriptedLlmClient llm;
  llm.script("gpt-4o-mini", {aw::processor::testing::text_reply("\"Fake Title\"\n")});
  TitleResult result = run_title_job(job(), llm);
  BOOST_REQUIRE(result.title.has_value());
  BOOST_TEST(*result.title == "\"Fake Title\"\n");  // the gateway cleans it up
  BOOST_TEST(llm.requests().size() == 1u);
  BOOST_TEST(title_result_to_json(job(), result, "p1") ==
             R"({"v":1,"kind":"title-result","processorId":"p1","dispatchId":"d1","worldId":"w","chatId":"c1",)"
             R"("title":"\"Fake Title\"\n"})");
}

BOOST_AUTO_TEST_CASE(a_failed_call_answers_null_with_the_error) {
  ScriptedLlmClient llm;
  llm.script("gpt-4o-mini", {aw::processor::testing::error_reply("No configuration found for openai provider.")});
  TitleResult result = run_title_job(job(), llm);
  BOOST_TEST(!result.title.has_value());
  BOOST_TEST(title_result_to_json(job(), result, "p1") ==
             R"({"v":1,"kind":"title-result","processorId":"p1","dispatchId":"d1","worldId":"w","chatId":"c1",)"
             R"("title":null,"error":"No configuration found for openai provider."})");
}

BOOST_AUTO_TEST_CASE(bad_title_jobs_are_errors) {
  BOOST_TEST(!parse_title_job("{}").is_ok());
  BOOST_TEST(!parse_title_job(R"({"dispatchId":"d","worldId":"w","chatId":"c","provider":"p","model":"m",)"
                              R"("lines":[1],"timeoutMs":1})")
                  .is_ok());
  BOOST_TEST(!parse_title_job(R"({"dispatchId":"d","worldId":"w","chatId":"c","provider":"p","model":"m",)"
                              R"("lines":[],"timeoutMs":0})")
                  .is_ok());
  BOOST_TEST(parse_title_job(R"({"dispatchId":"d","worldId":"w","chatId":"c","provider":"p","model":"m",)"
                             R"("lines":[],"timeoutMs":5})")
                 .is_ok());
}

BOOST_AUTO_TEST_SUITE_END()
