// The Anthropic provider over real HTTP against aw-fake-llm: the Messages event stream, headers, errors, cut
// streams and the non-streaming title call.
#include <boost/test/unit_test.hpp>

#include "tests/integration/processor/providers_fixture.h"

namespace aw::test {
namespace {

using std::chrono::milliseconds;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(providers_anthropic, ProvidersFixture)

BOOST_AUTO_TEST_CASE(streams_text_deltas_incrementally_with_usage) {
  start(R"({"rules":[{"match":{"any":true},"chunks":["Hel","lo ","wörld"],"delay_ms_per_chunk":150,)"
        R"("usage":{"input":21,"output":3}}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("anthropic", "hi");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.deltas == std::vector<std::string>({"Hel", "lo ", "wörld"}));
  BOOST_TEST((c.finished - c.delta_times.front() >= milliseconds(200)));
  BOOST_REQUIRE(c.result.usage.has_value());
  BOOST_TEST(c.result.usage->input_tokens == 21);
  BOOST_TEST(c.result.usage->output_tokens == 3);
  BOOST_TEST(c.result.usage->total_tokens == 24);
}

BOOST_AUTO_TEST_CASE(request_uses_messages_endpoint_and_anthropic_headers) {
  start();
  make_client(settings_for_fake());
  ProviderCall c = call("anthropic", "hello");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  json::Document log = logged_requests();
  BOOST_REQUIRE_EQUAL(log.Size(), 1u);
  BOOST_TEST(string_at(log[0], "path") == "/v1/messages");
  BOOST_TEST(string_at(log[0], "headers/x-api-key") == "ant-fake");
  BOOST_TEST(string_at(log[0], "headers/anthropic-version") == "2023-06-01");
  BOOST_TEST(string_at(log[0], "body/system") == "You are terse.");
  BOOST_TEST(int_at(log[0], "body/max_tokens") == 4096);
  BOOST_TEST(string_at(log[0], "body/messages/0/role") == "user");
  BOOST_TEST((json_at(log[0], "body/messages/1") == nullptr));
}

BOOST_AUTO_TEST_CASE(unauthorized_gives_status_and_message) {
  start(R"({"rules":[{"match":{"any":true},"fail":{"status":401,"message":"invalid x-api-key"}}]})");
  make_client(settings_for_fake());
  BOOST_TEST(call("anthropic", "hi").result.error_text == "401 invalid x-api-key");
  BOOST_TEST(logged_requests().Size() == 1u);
}

BOOST_AUTO_TEST_CASE(overloaded_is_retried) {
  start(R"({"rules":[{"match":{"any":true},"times":1,"fail":{"status":529}},{"match":{"any":true},"reply":"fine"}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("anthropic", "hi");
  BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
  BOOST_TEST(c.result.text == "fine");
  BOOST_TEST(logged_requests().Size() == 2u);
}

BOOST_AUTO_TEST_CASE(error_event_fails_with_its_message) {
  start(R"({"rules":[{"match":{"any":true},"reply":"a b","stream_error":{"message":"Overloaded","after_chunks":0}}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("anthropic", "hi");
  BOOST_TEST(c.result.error_text == "Overloaded");
  BOOST_TEST(logged_requests().Size() == 1u);
}

BOOST_AUTO_TEST_CASE(cut_stream_is_an_error) {
  start(R"({"rules":[{"match":{"any":true},"reply":"a b c","cut_after_chunks":2,"delay_ms_per_chunk":50}]})");
  make_client(settings_for_fake());
  ProviderCall c = call("anthropic", "hi");
  BOOST_TEST(!c.result.ok);
  BOOST_TEST(c.result.any_delta);
  BOOST_TEST(logged_requests().Size() == 1u);              // text was already delivered: no retry
  BOOST_TEST(c.result.error_text == "Connection error.");  // chunked body without its terminating chunk
}

BOOST_AUTO_TEST_CASE(empty_reply_and_non_streaming_title) {
  start(R"({"rules":[{"match":{"contains":"empty"},"empty":true},{"match":{"any":true},"reply":"Fake Title"}]})");
  make_client(settings_for_fake());
  ProviderCall empty = call("anthropic", "empty please");
  BOOST_REQUIRE_MESSAGE(empty.result.ok, empty.result.error_text);
  BOOST_TEST(empty.result.text.empty());
  ProviderCall title = call("anthropic", "title please", false);
  BOOST_REQUIRE_MESSAGE(title.result.ok, title.result.error_text);
  BOOST_TEST(title.result.text == "Fake Title");
  json::Document log = logged_requests();
  BOOST_TEST((json_at(log[1], "body/stream") == nullptr));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
