// The Google Gemini provider over real HTTP against aw-fake-llm: the alt=sse stream (CRLF frames), the request
// shape, errors, cut streams and the non-streaming generateContent call.
#include <boost/test/unit_test.hpp>

#include "tests/integration/processor/providers_fixture.h"

namespace aw::test {
namespace {

using std::chrono::milliseconds;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(providers_gemini, ProvidersFixture)

BOOST_AUTO_TEST_CASE(streams_parts_incrementally_with_usage) {
  start(R"({"rules":[{"match":{"any":true},"chunks":["Gr","üß","e"],"delay_ms_per_chunk":150,)"
        R"("usage":{"input":7,"output":3}}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("google", "hi");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.deltas == std::vector<std::string>({"Gr", "üß", "e"}));
  BOOST_TEST((c.finished - c.delta_times.front() >= milliseconds(200)));
  BOOST_REQUIRE(c.result.usage.has_value());
  BOOST_TEST(c.result.usage->input_tokens == 7);
  BOOST_TEST(c.result.usage->output_tokens == 3);
}

BOOST_AUTO_TEST_CASE(request_uses_stream_endpoint_key_header_and_contents) {
  start();
  make_client(settings_for_fake());
  ProviderCall c =
      call("google", "hello", true, milliseconds(10000), processor::CancelToken(), nullptr, "gemini-2.0-flash");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.result.text == "Echo: hello");
  json::Document log = logged_requests();
  BOOST_REQUIRE_EQUAL(log.Size(), 1u);
  BOOST_TEST(string_at(log[0], "path") == "/v1beta/models/gemini-2.0-flash:streamGenerateContent");
  BOOST_TEST(string_at(log[0], "query") == "alt=sse");
  BOOST_TEST(string_at(log[0], "headers/x-goog-api-key") == "g-fake");
  BOOST_TEST(string_at(log[0], "body/contents/0/parts/0/text") == "hello");
  BOOST_TEST(string_at(log[0], "body/systemInstruction/parts/0/text") == "You are terse.");
}

BOOST_AUTO_TEST_CASE(errors_give_status_and_message) {
  start(R"({"rules":[{"match":{"any":true},"fail":{"status":400,"message":"API key not valid."}}]})");
  make_client(settings_for_fake());
  BOOST_TEST(call("google", "hi").result.error_text == "400 API key not valid.");
}

BOOST_AUTO_TEST_CASE(in_stream_error_and_cut_stream) {
  start(
      R"({"rules":[{"match":{"contains":"boom"},"reply":"a b","stream_error":{"message":"quota exceeded","after_chunks":1}},)"
      R"({"match":{"any":true},"reply":"a b c","cut_after_chunks":2,"delay_ms_per_chunk":50}]})");
  make_client(settings_for_fake());
  ProviderCall boom = call("google", "boom");
  BOOST_TEST(boom.result.error_text == "quota exceeded");
  ProviderCall cut = call("google", "cut");
  BOOST_TEST(!cut.result.ok);
  BOOST_TEST(cut.result.any_delta);
  BOOST_TEST(cut.result.error_text == "Connection error.");  // chunked body without its terminating chunk
}

BOOST_AUTO_TEST_CASE(empty_reply_and_non_streaming_title) {
  start(R"({"rules":[{"match":{"contains":"empty"},"empty":true},{"match":{"any":true},"reply":"Fake Title"}]})");
  make_client(settings_for_fake());
  ProviderCall empty = call("google", "empty please");
  BOOST_REQUIRE_MESSAGE(empty.result.ok, empty.result.error_text);
  BOOST_TEST(empty.result.text.empty());
  BOOST_TEST(!empty.result.any_delta);
  ProviderCall title = call("google", "title please", false);
  BOOST_REQUIRE_MESSAGE(title.result.ok, title.result.error_text);
  BOOST_TEST(title.result.text == "Fake Title");
  json::Document log = logged_requests();
  BOOST_TEST(string_at(log[1], "path") == "/v1beta/models/test-model:generateContent");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
