// Tests of ProviderClient over a fake HttpStreamClient: streaming deltas, the retry rules and their limits,
// error texts, timeouts, cancellation, non-streaming replies and unconfigured providers (agent-runtime.md §7.4).
#include "processor/providers/provider_client.h"

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <thread>

#include "processor/providers/provider_registry.h"
#include "tests/unit/processor/providers/fake_http_stream_client.h"

namespace aw::processor::providers {
namespace {

using test::FakeHttpStreamClient;
using test::FakeResponse;

struct ProviderClientFixture {
  std::shared_ptr<FakeHttpStreamClient> http = std::make_shared<FakeHttpStreamClient>();
  std::vector<std::string> deltas;
  std::atomic<int> delta_count{0};  // read by canceller threads; deltas itself belongs to the calling thread
  CancelToken cancel;

  // Retries wait 1 ms (jitter fixed at 0) so that the cases stay fast; the delays themselves are tested in
  // retry_policy_test.
  std::unique_ptr<ProviderClient> make_client(RetryPolicy policy = {2, std::chrono::milliseconds(1)}) {
    ProviderVariables variables = {{"OPENAI_API_KEY", "k"}, {"ANTHROPIC_API_KEY", "k"}, {"GOOGLE_API_KEY", "k"}};
    return std::make_unique<ProviderClient>(make_configured_protocols(variables), http, policy, Logger(),
                                            [] { return 0.0; });
  }

  LlmResult run(ProviderClient& client, std::string provider = "openai", bool stream = true) {
    LlmRequest request;
    request.provider = std::move(provider);
    request.model = "m";
    request.messages = {{"user", "hi"}};
    request.stream = stream;
    request.timeout = std::chrono::milliseconds(5000);
    return client.complete(
        request,
        [this](std::string_view d) {
          deltas.emplace_back(d);
          ++delta_count;
        },
        cancel);
  }
};

std::string chunk(std::string_view text) {
  return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + std::string(text) + "\"}}]}\n\n";
}

const std::string kDone = "data: [DONE]\n\n";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(provider_client, ProviderClientFixture)

BOOST_AUTO_TEST_CASE(streams_each_delta_in_order) {
  http->push(FakeResponse::stream({chunk("Hel"), chunk("lo"),
                                   "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n",
                                   kDone}));
  auto client = make_client();
  LlmResult r = run(*client);
  BOOST_TEST(r.ok);
  BOOST_TEST(r.text == "Hello");
  BOOST_TEST(deltas == std::vector<std::string>({"Hel", "lo"}));
  BOOST_TEST(r.any_delta);
  BOOST_REQUIRE(r.usage.has_value());
  BOOST_TEST(r.usage->total_tokens == 5);
  BOOST_TEST(http->requests().at(0).timeout.count() == 5000);
}

BOOST_AUTO_TEST_CASE(deltas_split_mid_character_arrive_as_whole_characters) {
  const std::string line = chunk("\xE2\x82\xAC\xF0\x9F\x98\x80");  // € 😀
  std::vector<std::string> pieces;
  for (char c : line) pieces.emplace_back(1, c);
  pieces.push_back(kDone);
  http->push(FakeResponse::stream(pieces));
  auto client = make_client();
  LlmResult r = run(*client);
  BOOST_TEST(r.ok);
  BOOST_TEST(deltas == std::vector<std::string>({"\xE2\x82\xAC\xF0\x9F\x98\x80"}));
}

BOOST_AUTO_TEST_CASE(transient_statuses_are_retried_before_the_first_delta) {
  http->push(FakeResponse::error(503, "Service Unavailable", R"({"error":{"message":"busy"}})"));
  http->push(FakeResponse::error(503, "Service Unavailable", R"({"error":{"message":"busy"}})"));
  http->push(FakeResponse::stream({chunk("ok"), kDone}));
  auto client = make_client();
  LlmResult r = run(*client);
  BOOST_TEST(r.ok);
  BOOST_TEST(r.text == "ok");
  BOOST_TEST(http->request_count() == 3u);
}

BOOST_AUTO_TEST_CASE(retries_stop_at_the_limit_with_the_last_error) {
  for (int i = 0; i < 3; ++i)
    http->push(FakeResponse::error(529, "", R"({"type":"error","error":{"message":"Overloaded"}})"));
  http->push(FakeResponse::stream({chunk("never"), kDone}));
  auto client = make_client();
  LlmResult r = run(*client, "anthropic");
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.error_text == "529 Overloaded");
  BOOST_TEST(http->request_count() == 3u);  // the first try and two retries
}

BOOST_AUTO_TEST_CASE(zero_retries_means_one_try) {
  http->push(FakeResponse::connection_failure());
  auto client = make_client(RetryPolicy{0, std::chrono::milliseconds(1)});
  LlmResult r = run(*client);
  BOOST_TEST(r.error_text == "Connection error.");
  BOOST_TEST(http->request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(connection_failures_are_retried) {
  http->push(FakeResponse::connection_failure());
  http->push(FakeResponse::stream({chunk("ok"), kDone}));
  auto client = make_client();
  BOOST_TEST(run(*client).ok);
  BOOST_TEST(http->request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(client_errors_are_not_retried) {
  http->push(FakeResponse::error(
      401, "Unauthorized", R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})"));
  auto client = make_client();
  LlmResult r = run(*client);
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.error_text == "401 Incorrect API key provided");
  BOOST_TEST(!r.any_delta);
  BOOST_TEST(http->request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(html_error_body_gives_the_reason_phrase) {
  http->push(FakeResponse::error(403, "Forbidden", "<html><body>nope</body></html>", {{"Content-Type", "text/html"}}));
  auto client = make_client();
  BOOST_TEST(run(*client).error_text == "403 Forbidden");
}

BOOST_AUTO_TEST_CASE(failure_after_a_delta_is_not_retried) {
  FakeResponse cut = FakeResponse::stream({chunk("part")});
  cut.failure = HttpFailure::Connection;
  http->push(cut);
  http->push(FakeResponse::stream({chunk("second try"), kDone}));
  auto client = make_client();
  LlmResult r = run(*client);
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.error_text == "Connection error.");
  BOOST_TEST(r.any_delta);
  BOOST_TEST(http->request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(cut_stream_before_done_is_an_invalid_response) {
  http->push(FakeResponse::stream({chunk("part"), "data: {\"choi"}));
  auto client = make_client();
  LlmResult r = run(*client);
  BOOST_TEST(r.error_text == "Invalid response from openai: stream ended before [DONE]");
  BOOST_TEST(http->request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(malformed_line_fails_and_stops_reading) {
  http->push(FakeResponse::stream({chunk("a"), "data: {not json}\n\n", chunk("b"), kDone}));
  auto client = make_client();
  LlmResult r = run(*client);
  BOOST_TEST(r.error_text == "Invalid response from openai: malformed JSON event");
  BOOST_TEST(deltas == std::vector<std::string>({"a"}));
}

BOOST_AUTO_TEST_CASE(in_stream_error_fails_with_its_message) {
  http->push(
      FakeResponse::stream({"event: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"Overloaded\"}}\n\n"}));
  auto client = make_client();
  BOOST_TEST(run(*client, "anthropic").error_text == "Overloaded");
  BOOST_TEST(http->request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(empty_reply_is_a_success_without_deltas) {
  http->push(FakeResponse::stream({kDone}));
  auto client = make_client();
  LlmResult r = run(*client);
  BOOST_TEST(r.ok);
  BOOST_TEST(r.text.empty());
  BOOST_TEST(!r.any_delta);
  BOOST_TEST(deltas.empty());
}

BOOST_AUTO_TEST_CASE(bytes_after_the_end_marker_are_not_read) {
  http->push(FakeResponse::stream({chunk("a"), kDone, chunk("ignored")}));
  auto client = make_client();
  LlmResult r = run(*client);
  BOOST_TEST(r.ok);
  BOOST_TEST(r.text == "a");
}

BOOST_AUTO_TEST_CASE(timeout_is_reported_and_not_retried) {
  FakeResponse slow = FakeResponse::stream({});
  slow.failure = HttpFailure::Timeout;
  http->push(slow);
  http->push(FakeResponse::stream({chunk("never"), kDone}));
  auto client = make_client();
  LlmResult r = run(*client);
  BOOST_TEST(r.error_text == "Request timed out.");
  BOOST_TEST(http->request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(cancel_mid_stream_reports_the_token_reason) {
  FakeResponse hanging = FakeResponse::stream({chunk("a")});
  hanging.hang_until_cancelled = true;
  http->push(hanging);
  auto client = make_client();
  std::thread canceller([this] {
    // Cancel once the first delta has been delivered (the fake hangs right after it).
    while (delta_count.load() == 0) std::this_thread::yield();
    cancel.cancel("Cancelled");
  });
  LlmResult r = run(*client);
  canceller.join();
  BOOST_TEST(r.error_text == "Cancelled");
  BOOST_TEST(r.any_delta);
}

BOOST_AUTO_TEST_CASE(cancel_during_the_retry_wait_ends_it_at_once) {
  http->push(FakeResponse::error(503, "Service Unavailable", ""));
  auto client = make_client(RetryPolicy{2, std::chrono::milliseconds(20000)});
  std::thread canceller([this] {
    while (http->request_count() == 0) std::this_thread::yield();
    cancel.cancel("Run timed out after 600 s");
  });
  const auto started = std::chrono::steady_clock::now();
  LlmResult r = run(*client);
  canceller.join();
  BOOST_TEST(r.error_text == "Run timed out after 600 s");
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(10)));
  BOOST_TEST(http->request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(already_cancelled_sends_nothing) {
  cancel.cancel("Cancelled");
  auto client = make_client();
  BOOST_TEST(run(*client).error_text == "Cancelled");
  BOOST_TEST(http->request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(retry_after_replaces_the_backoff) {
  http->push(FakeResponse::error(429, "Too Many Requests", "", {{"Retry-After", "0"}}));
  http->push(FakeResponse::stream({chunk("ok"), kDone}));
  // A 20 s backoff would blow the deadline below; Retry-After: 0 must win.
  auto client = make_client(RetryPolicy{2, std::chrono::milliseconds(20000)});
  const auto started = std::chrono::steady_clock::now();
  BOOST_TEST(run(*client).ok);
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(5)));
}

BOOST_AUTO_TEST_CASE(unconfigured_or_unknown_provider) {
  auto client = make_client();
  BOOST_TEST(run(*client, "azure").error_text == "No configuration found for azure provider.");
  BOOST_TEST(run(*client, "nope").error_text == "No configuration found for nope provider.");
  BOOST_TEST(http->request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(non_streaming_reply_is_one_delta) {
  FakeResponse json = FakeResponse::stream({R"({"choices":[{"message":{"content":"Fake Title"}}]})"});
  json.headers = {{"Content-Type", "application/json"}};
  http->push(json);
  auto client = make_client();
  LlmResult r = run(*client, "openai", false);
  BOOST_TEST(r.ok);
  BOOST_TEST(r.text == "Fake Title");
  BOOST_TEST(http->requests().at(0).body.find("\"stream\":false") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_reply_to_a_streaming_request_is_accepted) {
  FakeResponse json = FakeResponse::stream({R"({"candidates":[{"content":{"parts":[{"text":"whole"}]}}]})"});
  json.headers = {{"content-type", "application/json; charset=UTF-8"}};
  http->push(json);
  auto client = make_client();
  LlmResult r = run(*client, "google");
  BOOST_TEST(r.ok);
  BOOST_TEST(deltas == std::vector<std::string>({"whole"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers
