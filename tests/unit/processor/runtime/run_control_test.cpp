// Abort causes, outcomes and the deadline watchdog (agent-runtime.md §4.4).
#include "processor/runtime/run_control.h"

#include <chrono>
#include <thread>

#include <boost/test/unit_test.hpp>

using namespace aw::processor;
using namespace std::chrono_literals;

BOOST_TEST_DONT_PRINT_LOG_VALUE(CommitOutcome)

BOOST_AUTO_TEST_SUITE(run_control)

BOOST_AUTO_TEST_CASE(timeout_texts_name_the_deadline_in_seconds) {
  BOOST_TEST(run_timeout_text(600000) == "Run timed out after 600 s");
  BOOST_TEST(run_timeout_text(250) == "Run timed out after 0.25 s");
  BOOST_TEST(run_timeout_text(1500) == "Run timed out after 1.5 s");
}

BOOST_AUTO_TEST_CASE(cancel_cancels_the_token_and_decides_the_outcome) {
  RunControl control(60000);
  BOOST_TEST((control.outcome() == CommitOutcome::Completed));
  control.abort(AbortCause::ChatDeleted);
  BOOST_TEST(control.token().is_cancelled());
  BOOST_TEST(control.token().reason() == "Cancelled");
  BOOST_TEST((control.outcome() == CommitOutcome::Cancelled));
  BOOST_TEST(!control.is_silenced());
  control.abort(AbortCause::Deadline);  // a later cause changes nothing
  BOOST_TEST((control.outcome() == CommitOutcome::Cancelled));
  BOOST_TEST(control.token().reason() == "Cancelled");
}

BOOST_AUTO_TEST_CASE(world_deleted_and_stale_silence_even_after_a_cancel) {
  RunControl control(60000);
  control.abort(AbortCause::Cancelled);
  control.abort(AbortCause::WorldDeleted);
  BOOST_TEST(control.is_silenced());
  RunControl stale(60000);
  stale.abort(AbortCause::Stale);
  BOOST_TEST(stale.is_silenced());
  BOOST_TEST(stale.token().is_cancelled());
}

BOOST_AUTO_TEST_CASE(the_deadline_fires_from_the_watchdog_thread) {
  RunControl control(50);
  const auto started = std::chrono::steady_clock::now();
  control.arm_deadline(started);
  // Wait on the token itself, not a sleep: the callback fires on the watchdog thread.
  std::mutex mutex;
  std::condition_variable fired_cv;
  bool fired = false;
  CancelToken token = control.token();
  token.on_cancel([&] {
    std::lock_guard<std::mutex> lock(mutex);
    fired = true;
    fired_cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(mutex);
  BOOST_REQUIRE(fired_cv.wait_for(lock, 5s, [&] { return fired; }));
  BOOST_TEST((std::chrono::steady_clock::now() - started >= 50ms));
  BOOST_TEST(control.token().reason() == "Run timed out after 0.05 s");
  BOOST_TEST((control.outcome() == CommitOutcome::RunTimeout));
}

BOOST_AUTO_TEST_CASE(a_disarmed_deadline_never_fires) {
  RunControl control(1);
  control.arm_deadline(std::chrono::steady_clock::now() + 1h);
  control.disarm_deadline();
  BOOST_TEST(!control.is_aborted());
}

BOOST_AUTO_TEST_CASE(a_deadline_already_past_at_arming_fires_at_once) {
  RunControl control(10);
  control.arm_deadline(std::chrono::steady_clock::now() - 1s);
  control.disarm_deadline();  // joins the watchdog, which found the deadline passed before waiting
  BOOST_TEST((control.outcome() == CommitOutcome::RunTimeout));
}

BOOST_AUTO_TEST_SUITE_END()
