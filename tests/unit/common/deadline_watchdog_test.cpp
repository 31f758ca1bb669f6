// The shared deadline thread (common/deadline_watchdog.h): deadlines fire in time order on its thread,
// a disarmed one never fires, and disarm() waits for a callback that is running so that it may capture `this`.
#include "common/deadline_watchdog.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

using aw::DeadlineWatchdog;
using namespace std::chrono_literals;

namespace {

// Collects fired callback labels; waits for a count with a deadline.
struct Fired {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<int> labels;

  void add(int label) {
    std::lock_guard<std::mutex> lock(mutex);
    labels.push_back(label);
    cv.notify_all();
  }
  bool wait_for_count(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, 5s, [&] { return labels.size() >= n; });
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(deadline_watchdog)

BOOST_AUTO_TEST_CASE(deadlines_fire_in_time_order_whatever_the_arming_order) {
  DeadlineWatchdog watchdog;
  Fired fired;
  const auto now = DeadlineWatchdog::Clock::now();
  watchdog.arm(now + 60ms, [&] { fired.add(3); });
  watchdog.arm(now + 20ms, [&] { fired.add(1); });  // a new earliest deadline wakes the thread early
  watchdog.arm(now + 40ms, [&] { fired.add(2); });
  BOOST_REQUIRE(fired.wait_for_count(3));
  BOOST_TEST(fired.labels == std::vector<int>({1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST((DeadlineWatchdog::Clock::now() - now >= 60ms));
}

BOOST_AUTO_TEST_CASE(a_disarmed_deadline_never_fires_and_others_still_do) {
  DeadlineWatchdog watchdog;
  Fired fired;
  const auto now = DeadlineWatchdog::Clock::now();
  const auto cancelled = watchdog.arm(now + 10ms, [&] { fired.add(1); });
  BOOST_TEST(cancelled != 0u);
  watchdog.arm(now + 50ms, [&] { fired.add(2); });
  watchdog.disarm(cancelled);
  BOOST_REQUIRE(fired.wait_for_count(1));
  BOOST_TEST(fired.labels == std::vector<int>({2}), boost::test_tools::per_element());
  watchdog.disarm(cancelled);  // again, and after the other fired: nothing to do
}

BOOST_AUTO_TEST_CASE(disarm_waits_for_a_running_callback_to_return) {
  DeadlineWatchdog watchdog;
  std::mutex mutex;
  std::condition_variable cv;
  bool entered = false;
  bool release = false;
  std::atomic<bool> returned{false};
  const auto id = watchdog.arm(DeadlineWatchdog::Clock::now(), [&] {
    std::unique_lock<std::mutex> lock(mutex);
    entered = true;
    cv.notify_all();
    cv.wait_for(lock, 5s, [&] { return release; });
    returned = true;
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    BOOST_REQUIRE(cv.wait_for(lock, 5s, [&] { return entered; }));
  }
  std::thread releaser([&] {
    std::this_thread::sleep_for(30ms);  // long enough that disarm() below is already waiting
    std::lock_guard<std::mutex> lock(mutex);
    release = true;
    cv.notify_all();
  });
  watchdog.disarm(id);
  BOOST_TEST(returned.load());
  releaser.join();
}

BOOST_AUTO_TEST_CASE(disarm_from_a_callback_does_not_wait_for_itself) {
  DeadlineWatchdog watchdog;
  Fired fired;
  std::atomic<DeadlineWatchdog::Id> own{0};
  own = watchdog.arm(DeadlineWatchdog::Clock::now() + 20ms, [&] {
    watchdog.disarm(own.load());  // e.g. a request's cleanup running on the watchdog's thread
    fired.add(1);
  });
  BOOST_TEST(fired.wait_for_count(1));
}

BOOST_AUTO_TEST_CASE(destruction_drops_pending_deadlines) {
  Fired fired;
  {
    DeadlineWatchdog watchdog;
    watchdog.arm(DeadlineWatchdog::Clock::now() + 1h, [&] { fired.add(1); });
  }
  BOOST_TEST(fired.labels.empty());
}

BOOST_AUTO_TEST_SUITE_END()
