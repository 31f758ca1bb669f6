// Tests of ConcurrencyLimitedClient: the in-flight limit, FIFO order, the queue bound and its error text, and
// cancellation while waiting (agent-runtime.md §4.2).
#include "processor/providers/concurrency_limiter.h"

#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace aw::processor::providers {
namespace {

// An LlmClient whose calls block until released, recording the order in which they started.
class GatedClient : public LlmClient {
 public:
  LlmResult complete(const LlmRequest& request, const std::function<void(std::string_view)>&,
                     const CancelToken&) override {
    std::unique_lock<std::mutex> lock(mutex_);
    started_.push_back(request.model);
    changed_.notify_all();
    changed_.wait(lock, [&] { return releases_ > 0; });
    --releases_;
    LlmResult r;
    r.ok = true;
    r.text = request.model;
    return r;
  }
  void release_one() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++releases_;
    changed_.notify_all();
  }
  bool wait_started(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return started_.size() >= n; });
  }
  std::vector<std::string> started() {
    std::lock_guard<std::mutex> lock(mutex_);
    return started_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> started_;
  int releases_ = 0;
};

// Polls a limiter counter until it reaches `value` (the limiter offers no notification; the deadline bounds it).
template <typename F>
bool wait_until(F condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

struct LimiterFixture {
  GatedClient* gated = nullptr;
  std::unique_ptr<ConcurrencyLimitedClient> limiter;
  std::vector<std::thread> threads;
  std::mutex results_mutex;
  std::map<std::string, LlmResult> results;

  void make(int in_flight, int waiting) {
    auto inner = std::make_unique<GatedClient>();
    gated = inner.get();
    limiter = std::make_unique<ConcurrencyLimitedClient>(std::move(inner), in_flight, waiting);
  }
  void start(const std::string& name, const CancelToken& cancel = CancelToken()) {
    threads.emplace_back([this, name, cancel] {
      LlmRequest request;
      request.model = name;
      LlmResult r = limiter->complete(
          request, [](std::string_view) {}, cancel);
      std::lock_guard<std::mutex> lock(results_mutex);
      results[name] = r;
    });
  }
  LlmResult call_now(std::string name) {
    LlmRequest request;
    request.model = std::move(name);
    return limiter->complete(
        request, [](std::string_view) {}, CancelToken());
  }
  ~LimiterFixture() {
    for (auto& t : threads) t.join();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(concurrency_limiter, LimiterFixture)

BOOST_AUTO_TEST_CASE(waiting_requests_run_in_fifo_order) {
  make(1, 10);
  start("a");
  BOOST_REQUIRE(gated->wait_started(1));
  start("b");
  BOOST_REQUIRE(wait_until([&] { return limiter->waiting() == 1; }));
  start("c");
  BOOST_REQUIRE(wait_until([&] { return limiter->waiting() == 2; }));
  BOOST_TEST(limiter->in_flight() == 1);
  for (int i = 0; i < 3; ++i) gated->release_one();
  for (auto& t : threads) t.join();
  threads.clear();
  BOOST_TEST(gated->started() == std::vector<std::string>({"a", "b", "c"}));
  BOOST_TEST(results["c"].ok);
  BOOST_TEST(limiter->in_flight() == 0);
}

BOOST_AUTO_TEST_CASE(at_most_n_in_flight) {
  make(2, 10);
  start("a");
  start("b");
  BOOST_REQUIRE(gated->wait_started(2));
  start("c");
  BOOST_REQUIRE(wait_until([&] { return limiter->waiting() == 1; }));
  BOOST_TEST(limiter->in_flight() == 2);
  BOOST_TEST(gated->started().size() == 2u);
  gated->release_one();
  BOOST_REQUIRE(gated->wait_started(3));
  gated->release_one();
  gated->release_one();
}

BOOST_AUTO_TEST_CASE(full_queue_refuses_at_once) {
  make(1, 1);
  start("a");
  BOOST_REQUIRE(gated->wait_started(1));
  start("b");
  BOOST_REQUIRE(wait_until([&] { return limiter->waiting() == 1; }));
  LlmResult refused = call_now("c");
  BOOST_TEST(!refused.ok);
  BOOST_TEST(refused.error_text == "LLM queue is full (1 items). Please try again later.");
  gated->release_one();
  gated->release_one();
}

BOOST_AUTO_TEST_CASE(zero_queue_refuses_when_busy) {
  make(1, 0);
  start("a");
  BOOST_REQUIRE(gated->wait_started(1));
  BOOST_TEST(call_now("b").error_text == "LLM queue is full (0 items). Please try again later.");
  gated->release_one();
}

BOOST_AUTO_TEST_CASE(cancel_while_waiting_leaves_the_queue) {
  make(1, 10);
  start("a");
  BOOST_REQUIRE(gated->wait_started(1));
  CancelToken token;
  start("b", token);
  BOOST_REQUIRE(wait_until([&] { return limiter->waiting() == 1; }));
  start("c");
  BOOST_REQUIRE(wait_until([&] { return limiter->waiting() == 2; }));
  token.cancel("Cancelled");
  BOOST_REQUIRE(wait_until([&] { return limiter->waiting() == 1; }));
  gated->release_one();
  gated->release_one();
  for (auto& t : threads) t.join();
  threads.clear();
  BOOST_TEST(results["b"].error_text == "Cancelled");
  BOOST_TEST(!results["b"].ok);
  BOOST_TEST(gated->started() == std::vector<std::string>({"a", "c"}));  // b never reached the provider
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers
