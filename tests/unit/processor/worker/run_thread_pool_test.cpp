// Tests of RunThreadPool: jobs run at once and concurrently up to the limit, threads are kept and reused, a job
// beyond the limit runs as soon as a running one ends (an attempt that ends frees its slot), and destruction waits
// for running jobs (the worker's shutdown drains before it frees its attempts).
#include "processor/worker/run_thread_pool.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace aw::processor::worker {
namespace {

using namespace std::chrono_literals;

// A counter that threads raise and a test waits on, with a deadline.
class Counter {
 public:
  void add() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++value_;
    changed_.notify_all();
  }
  bool wait_for(int at_least, std::chrono::milliseconds timeout = 5000ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return value_ >= at_least; });
  }
  int value() {
    std::lock_guard<std::mutex> lock(mutex_);
    return value_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int value_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(run_thread_pool)

BOOST_AUTO_TEST_CASE(jobs_run_concurrently_up_to_the_limit) {
  RunThreadPool pool(3);
  Counter started;
  Counter release;
  for (int i = 0; i < 3; ++i) {
    pool.submit([&] {
      started.add();
      release.wait_for(1);  // held until all three are running at once
    });
  }
  BOOST_TEST(started.wait_for(3));
  BOOST_TEST(pool.thread_count() == 3u);
  release.add();
  pool.wait_idle();
  BOOST_TEST(started.value() == 3);
}

BOOST_AUTO_TEST_CASE(threads_are_kept_and_reused) {
  RunThreadPool pool(4);
  Counter done;
  for (int i = 1; i <= 5; ++i) {
    pool.submit([&] { done.add(); });
    BOOST_REQUIRE(done.wait_for(i));
    pool.wait_idle();
  }
  BOOST_TEST(pool.thread_count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_job_beyond_the_limit_runs_when_a_running_one_ends) {
  RunThreadPool pool(2);
  Counter started;
  Counter release_first;
  Counter release_second;
  pool.submit([&] {
    started.add();
    release_first.wait_for(1);
  });
  pool.submit([&] {
    started.add();
    release_second.wait_for(1);
  });
  BOOST_REQUIRE(started.wait_for(2));
  Counter third;
  pool.submit([&] { third.add(); });
  BOOST_TEST(pool.thread_count() == 2u);  // no third thread: the job waits
  BOOST_TEST(third.value() == 0);
  release_first.add();  // like a cancelled attempt ending: its thread takes the waiting job
  BOOST_TEST(third.wait_for(1));
  release_second.add();
  pool.wait_idle();
  BOOST_TEST(pool.thread_count() == 2u);
}

BOOST_AUTO_TEST_CASE(destruction_waits_for_running_jobs) {
  auto finished = std::make_shared<std::atomic<bool>>(false);
  Counter started;
  Counter release;
  std::thread releaser;
  {
    RunThreadPool pool(2);
    pool.submit([&, finished] {
      started.add();
      release.wait_for(1);
      *finished = true;
    });
    BOOST_REQUIRE(started.wait_for(1));
    releaser = std::thread([&] { release.add(); });
  }  // the destructor returns only after the job ended
  BOOST_TEST(finished->load());
  releaser.join();
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace aw::processor::worker
