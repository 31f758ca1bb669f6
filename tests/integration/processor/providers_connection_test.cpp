// The provider stack's connections to an LLM endpoint (CpprestStreamClient): sequential requests share one kept-alive
// connection (a new one per request cost a TCP connect, a resolver lookup and a close per LLM call: the reader stops at
// the end marker, and closing there lost the connection unless the body's end had already arrived); a cancelled
// stream's connection is not reused. Counted from aw-fake-llm's "connection opened" log.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <thread>

#include "tests/integration/processor/providers_fixture.h"
#include "tests/support/wait.h"

using aw::test::ProviderCall;
using aw::test::ProvidersFixture;

namespace {

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

constexpr int kCalls = 3;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(providers_connection, ProvidersFixture)

BOOST_AUTO_TEST_CASE(sequential_streams_share_one_connection) {
  // Chunks apart in time, as from a real model: the end marker and the body's end arrive separately.
  start(R"({"rules":[{"match":{"any":true},"chunks":["one ","two"],"delay_ms_per_chunk":20}]})", {}, "debug");
  make_client(settings_for_fake());
  for (int i = 0; i < kCalls; ++i) {
    ProviderCall c = call("openai", "hello " + std::to_string(i));
    BOOST_REQUIRE_MESSAGE(c.result.ok, c.result.error_text);
    BOOST_TEST(!c.result.text.empty());
  }
  // Reused, not one per call: under load cpprest now and then opens a second connection (about 1 run in 8 on a
  // busy 2-core machine), so the test asks for reuse rather than exactly one connection.
  BOOST_TEST(count_of(process().stderr_text(), "connection opened") < static_cast<std::size_t>(kCalls));
}

BOOST_AUTO_TEST_CASE(a_cancelled_stream_closes_its_connection_and_the_next_request_opens_one) {
  start(R"({"rules":[{"match":{"contains":"slow"},"chunks":["a","b","c","d"],"delay_ms_per_chunk":300}]})", {},
        "debug");
  make_client(settings_for_fake());
  ProviderCall before = call("openai", "quick");  // leaves a kept-alive connection, which the slow call reuses
  BOOST_REQUIRE_MESSAGE(before.result.ok, before.result.error_text);
  aw::processor::CancelToken cancel;
  aw::test::DeltaSignal first;
  std::thread canceller([&] {
    if (first.wait(std::chrono::milliseconds(5000))) cancel.cancel("stopped by test");
  });
  ProviderCall slow = call("openai", "slow", true, std::chrono::milliseconds(10000), cancel, &first);
  canceller.join();
  BOOST_TEST(slow.result.error_text == "stopped by test");
  ProviderCall next = call("openai", "quick");
  BOOST_REQUIRE_MESSAGE(next.result.ok, next.result.error_text);
  BOOST_TEST(!next.result.text.empty());
  // The fake's log reaches the fixture through a reader thread: wait for the second line rather than race it.
  BOOST_TEST(aw::test::wait_until([&] { return count_of(process().stderr_text(), "connection opened") >= 2u; }));
  BOOST_TEST(count_of(process().stderr_text(), "connection opened") == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
