// The OpenAI-family provider over real HTTP against aw-fake-llm: incremental streaming, what is sent, and the
// failure rules of agent-runtime.md §7.4 (retries, Retry-After, error texts, cut/malformed/stalled streams,
// cancellation).
#include <boost/test/unit_test.hpp>
#include <thread>

#include "tests/integration/processor/providers_fixture.h"

namespace aw::test {
namespace {

using std::chrono::milliseconds;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(providers_openai, ProvidersFixture)

BOOST_AUTO_TEST_CASE(deltas_arrive_while_the_stream_is_still_running) {
  start(
      R"({"rules":[{"match":{"any":true},"chunks":["one ","two ","three ","four ","five"],"delay_ms_per_chunk":100}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "count");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.result.text == "one two three four five");
  BOOST_TEST(c.deltas == std::vector<std::string>({"one ", "two ", "three ", "four ", "five"}));
  // Five chunks 100 ms apart: the first must be handed over long before the stream ends, not buffered to the end.
  BOOST_TEST(c.elapsed().count() >= 450);
  BOOST_TEST((c.finished - c.delta_times.front() >= milliseconds(250)));
  BOOST_REQUIRE(c.result.usage.has_value());  // stream_options.include_usage was sent, so usage came back
  BOOST_TEST(c.result.usage->output_tokens == 5);
}

BOOST_AUTO_TEST_CASE(request_carries_endpoint_auth_and_body) {
  start();
  auto settings = settings_for_fake();
  make_client(settings);
  ProviderCall c = call("openai", "hi there");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.result.text == "Echo: hi there");
  ProviderCall x = call("xai", "from xai");
  BOOST_TEST(x.result.text == "Echo: from xai");
  json::Document log = logged_requests();
  BOOST_REQUIRE_EQUAL(log.Size(), 2u);
  const json::Value& first = log[0];
  BOOST_TEST(string_at(first, "path") == "/v1/chat/completions");
  BOOST_TEST(string_at(first, "headers/authorization") == "Bearer sk-fake");
  BOOST_TEST(string_at(first, "body/model") == "test-model");
  BOOST_TEST(string_at(first, "body/messages/0/role") == "system");
  BOOST_TEST(string_at(first, "body/messages/1/content") == "hi there");
  BOOST_TEST(json_at(first, "body/stream_options/include_usage") != nullptr);
  BOOST_TEST(string_at(log[1], "headers/authorization") == "Bearer xai-fake");
  BOOST_TEST((json_at(log[1], "body/stream_options") == nullptr));  // openai and azure only
}

BOOST_AUTO_TEST_CASE(utf8_split_into_small_chunks_arrives_as_whole_characters) {
  start(R"({"rules":[{"match":{"any":true},"reply":"Grüße ✓ 😀 你好","chunk_size":1}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai-compatible", "x");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.result.text == "Grüße ✓ 😀 你好");
  for (const std::string& d : c.deltas) BOOST_TEST(json::is_valid_utf8(d));
}

BOOST_AUTO_TEST_CASE(service_unavailable_twice_then_ok_is_retried) {
  start(R"({"rules":[{"match":{"any":true},"times":2,"fail":{"status":503}},{"match":{"any":true},"reply":"ok"}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "hi");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.result.text == "ok");
  BOOST_TEST(logged_requests().Size() == 3u);
}

BOOST_AUTO_TEST_CASE(retry_after_is_honoured) {
  start(R"({"rules":[{"match":{"any":true},"times":1,"fail":{"status":429,"retry_after":"1"}},)"
        R"({"match":{"any":true},"reply":"later"}]})");
  make_client(settings_for_fake());  // backoff would be 10 ms
  ProviderCall c = call("openai", "hi");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  json::Document log = logged_requests();
  BOOST_REQUIRE_EQUAL(log.Size(), 2u);
  const std::int64_t gap_ms = int_at(log[1], "time_ms") - int_at(log[0], "time_ms");
  BOOST_TEST(gap_ms >= 950);
  BOOST_TEST(gap_ms < 5000);
}

BOOST_AUTO_TEST_CASE(retries_give_up_with_the_last_status) {
  start(R"({"rules":[{"match":{"any":true},"fail":{"status":502,"message":"upstream down"}}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "hi");
  BOOST_TEST(!c.result.ok);
  BOOST_TEST(c.result.error_text == "502 upstream down");
  BOOST_TEST(logged_requests().Size() == 3u);  // AW_LLM_MAX_RETRIES = 2
}

BOOST_AUTO_TEST_CASE(unauthorized_json_body_gives_status_and_message) {
  start(R"({"rules":[{"match":{"any":true},"fail":{"status":401,"message":"Incorrect API key provided"}}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "hi");
  BOOST_TEST(c.result.error_text == "401 Incorrect API key provided");
  BOOST_TEST(!c.result.any_delta);
  BOOST_TEST(logged_requests().Size() == 1u);  // not retried
}

BOOST_AUTO_TEST_CASE(html_error_body_gives_the_reason_phrase) {
  start(R"({"rules":[{"match":{"any":true},"fail":{"status":404,"content_type":"text/html",)"
        R"("body":"<html><body><h1>Not here</h1></body></html>"}}]})");
  make_client(settings_for_fake());
  BOOST_TEST(call("openai", "hi").result.error_text == "404 Not Found");
}

// The chunks are paced: cpprest drops bytes that arrive in the same read as the connection error, so only text that
// came before the cut is surely delivered.
BOOST_AUTO_TEST_CASE(stream_cut_mid_reply_is_an_error_and_not_retried) {
  start(R"({"rules":[{"match":{"any":true},"reply":"a b c d","cut_after_chunks":2,"delay_ms_per_chunk":50}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "hi");
  BOOST_TEST(!c.result.ok);
  BOOST_TEST(c.result.any_delta);
  BOOST_TEST(c.result.error_text == "Connection error.");  // chunked body without its terminating chunk
  BOOST_TEST(logged_requests().Size() == 1u);
}

BOOST_AUTO_TEST_CASE(stream_cut_before_any_delta_is_retried) {
  start(R"({"rules":[{"match":{"any":true},"times":1,"reply":"x","cut_after_chunks":0},)"
        R"({"match":{"any":true},"reply":"second"}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "hi");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.result.text == "second");
  BOOST_TEST(logged_requests().Size() == 2u);
}

BOOST_AUTO_TEST_CASE(malformed_line_is_an_invalid_response) {
  start(R"({"rules":[{"match":{"any":true},"reply":"a b c","malformed":"{oops","malformed_after_chunks":1}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "hi");
  BOOST_TEST(c.result.error_text == "Invalid response from openai: malformed JSON event");
  BOOST_TEST(c.deltas == std::vector<std::string>({"a "}));
}

BOOST_AUTO_TEST_CASE(in_stream_error_fails_with_its_message) {
  start(
      R"({"rules":[{"match":{"any":true},"reply":"a b","stream_error":{"message":"server exploded","after_chunks":1}}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "hi");
  BOOST_TEST(c.result.error_text == "server exploded");
  BOOST_TEST(c.result.any_delta);
}

BOOST_AUTO_TEST_CASE(empty_reply_is_a_success_without_deltas) {
  start(R"({"rules":[{"match":{"any":true},"empty":true}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("ollama", "hi");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.result.text.empty());
  BOOST_TEST(c.deltas.empty());
  BOOST_TEST(!c.result.any_delta);
}

BOOST_AUTO_TEST_CASE(stall_ends_with_request_timed_out) {
  start(R"({"rules":[{"match":{"any":true},"reply":"a b c","stall_after_chunks":1}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "hi", true, milliseconds(800));
  BOOST_TEST(c.result.error_text == "Request timed out.");
  BOOST_TEST(c.deltas == std::vector<std::string>({"a "}));
  BOOST_TEST(c.elapsed().count() >= 750);
  BOOST_TEST(c.elapsed().count() < 3000);
  BOOST_TEST(logged_requests().Size() == 1u);  // a timeout is not retried
}

BOOST_AUTO_TEST_CASE(no_answer_at_all_times_out) {
  start(R"({"rules":[{"match":{"any":true},"reply":"never","stall_after_chunks":0}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "title please", false, milliseconds(600));  // non-streaming: no head either
  BOOST_TEST(c.result.error_text == "Request timed out.");
  BOOST_TEST(c.elapsed().count() >= 550);
  BOOST_TEST(c.elapsed().count() < 3000);
}

BOOST_AUTO_TEST_CASE(cancel_mid_stream_aborts_within_milliseconds) {
  start(R"({"rules":[{"match":{"any":true},"chunks":["first ","second ","third"],"delay_ms_per_chunk":2000}]})");
  make_client(settings_for_fake());
  processor::CancelToken cancel;
  DeltaSignal first;
  std::chrono::steady_clock::time_point cancelled_at;
  std::thread canceller([&] {
    if (first.wait(milliseconds(10000))) {
      cancelled_at = std::chrono::steady_clock::now();
      cancel.cancel("Cancelled");
    }
  });
  ProviderCall c = call("openai", "hi", true, milliseconds(30000), cancel, &first);
  canceller.join();
  BOOST_TEST(c.result.error_text == "Cancelled");
  BOOST_TEST(c.deltas == std::vector<std::string>({"first "}));
  BOOST_TEST((c.finished - cancelled_at < milliseconds(500)));
}

BOOST_AUTO_TEST_CASE(non_streaming_title_call) {
  start(R"({"rules":[{"match":{"contains":"title"},"reply":"Fake Title"}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("openai", "make a title", false);
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.result.text == "Fake Title");
  json::Document log = logged_requests();
  BOOST_TEST(json_at(log[0], "body/stream")->IsFalse());
}

BOOST_AUTO_TEST_CASE(connection_refused_is_a_connection_error) {
  start();
  auto settings = settings_for_fake();
  settings.variables["AW_OPENAI_BASE_URL"] = "http://127.0.0.1:1/v1";  // nothing listens on port 1
  settings.retry.max_retries = 1;
  make_client(settings);
  ProviderCall c = call("openai", "hi");
  BOOST_TEST(c.result.error_text == "Connection error.");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
