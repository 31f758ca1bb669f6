// Tests of TimerThread: callbacks run at their deadline, in order; cancelled ones never run.
#include "processor/providers/timer_thread.h"

#include <boost/test/unit_test.hpp>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace aw::processor::providers {

BOOST_AUTO_TEST_SUITE(timer_thread)

BOOST_AUTO_TEST_CASE(runs_due_callbacks_in_deadline_order_and_skips_cancelled_ones) {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<int> ran;
  auto record = [&](int n) {
    return [&, n] {
      std::lock_guard<std::mutex> lock(mutex);
      ran.push_back(n);
      cv.notify_all();
    };
  };
  TimerThread timers;
  const auto now = TimerThread::Clock::now();
  timers.schedule_at(now + std::chrono::milliseconds(30), record(3));
  TimerThread::Id cancelled = timers.schedule_at(now + std::chrono::milliseconds(20), record(2));
  timers.schedule_at(now + std::chrono::milliseconds(10), record(1));
  timers.cancel(cancelled);
  timers.cancel(9999);  // unknown: ignored

  std::unique_lock<std::mutex> lock(mutex);
  BOOST_REQUIRE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return ran.size() == 2; }));
  BOOST_TEST(ran == std::vector<int>({1, 3}));
  BOOST_TEST((TimerThread::Clock::now() - now >= std::chrono::milliseconds(30)));
}

BOOST_AUTO_TEST_CASE(destructor_drops_pending_callbacks) {
  bool ran = false;
  {
    TimerThread timers;
    timers.schedule_at(TimerThread::Clock::now() + std::chrono::hours(1), [&] { ran = true; });
  }
  BOOST_TEST(!ran);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::providers
