// The per-process limiter over real HTTP (agent-runtime.md §4.2): AW_LLM_CONCURRENCY requests in flight, a bounded
// FIFO queue, cancellation while waiting; and unconfigured providers.
#include <boost/test/unit_test.hpp>
#include <thread>

#include "processor/providers/concurrency_limiter.h"
#include "tests/integration/processor/providers_fixture.h"

namespace aw::test {
namespace {

using std::chrono::milliseconds;

// Waits until the fake has recorded `n` requests (each recorded when it arrives), with a deadline.
bool wait_for_requests(ProvidersFixture& f, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (f.logged_requests().Size() >= n) return true;
  }
  return false;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(providers_limits, ProvidersFixture)

BOOST_AUTO_TEST_CASE(queue_full_and_cancel_while_waiting) {
  // "hold" stalls until the request times out; everything else answers at once.
  start(
      R"({"rules":[{"match":{"contains":"hold"},"reply":"x y","stall_after_chunks":1},{"match":{"any":true},"reply":"quick"}]})");
  auto settings = settings_for_fake();
  settings.concurrency = 1;
  settings.queue_max = 1;
  make_client(settings);
  auto& limiter = dynamic_cast<processor::providers::ConcurrencyLimitedClient&>(client());

  processor::CancelToken holder_cancel;
  ProviderCall holder;
  std::thread holding([&] { holder = call("openai", "hold", true, milliseconds(20000), holder_cancel); });
  BOOST_REQUIRE(wait_for_requests(*this, 1));
  BOOST_TEST(limiter.in_flight() == 1);

  processor::CancelToken waiter_cancel;
  ProviderCall waiter;
  std::thread waiting([&] { waiter = call("openai", "wait", true, milliseconds(20000), waiter_cancel); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (limiter.waiting() < 1 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  BOOST_REQUIRE_EQUAL(limiter.waiting(), 1);

  ProviderCall refused = call("openai", "refused");
  BOOST_TEST(refused.result.error_text == "LLM queue is full (1 items). Please try again later.");

  waiter_cancel.cancel("Cancelled");
  waiting.join();
  BOOST_TEST(waiter.result.error_text == "Cancelled");
  holder_cancel.cancel("Cancelled");
  holding.join();
  BOOST_TEST(holder.result.error_text == "Cancelled");
  BOOST_TEST(logged_requests().Size() == 1u);  // neither the refused nor the cancelled waiter reached the server

  // The slot is free again.
  ProviderCall after = call("openai", "after");
  BOOST_TEST(after.result.text == "quick");
}

BOOST_AUTO_TEST_CASE(waiting_request_runs_when_the_slot_frees) {
  start(
      R"({"rules":[{"match":{"contains":"slow"},"chunks":["a","b"],"delay_ms_per_chunk":300},{"match":{"any":true},"reply":"next"}]})");
  auto settings = settings_for_fake();
  settings.concurrency = 1;
  make_client(settings);
  ProviderCall slow;
  std::thread first([&] { slow = call("openai", "slow"); });
  BOOST_REQUIRE(wait_for_requests(*this, 1));
  ProviderCall next = call("openai", "go");
  first.join();
  BOOST_TEST(slow.result.text == "ab");
  BOOST_TEST(next.result.text == "next");
  // It waited for the slot: the slow call's last delta comes before its slot is freed. (Not slow.finished: that is
  // stamped on the other thread after the slot is freed, and a request over the kept-alive connection can beat it.)
  BOOST_REQUIRE(!slow.delta_times.empty());
  BOOST_TEST((next.finished >= slow.delta_times.back()));
}

BOOST_AUTO_TEST_CASE(unconfigured_provider_sends_nothing) {
  start();
  auto settings = settings_for_fake();
  settings.variables.erase("ANTHROPIC_API_KEY");
  make_client(settings);
  BOOST_TEST(call("anthropic", "hi").result.error_text == "No configuration found for anthropic provider.");
  BOOST_TEST(call("azure", "hi").result.error_text == "No configuration found for azure provider.");
  BOOST_TEST(logged_requests().Size() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::test
