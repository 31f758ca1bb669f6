// Deadlines for tests: every wait in the integration suite is "until this condition holds, or give up at a deadline".
// wait_until() polls a condition that has no notification (a file appearing, an HTTP answer, a metric value); the
// clients wait on condition variables instead.
// Thread-safety: free functions and plain values.
#pragma once

#include <chrono>
#include <thread>

namespace aw::test {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

// The default time a test allows for an answer that should come at once (the compat client waits 5 s too).
inline constexpr Millis kDefaultTimeout{5000};

// Polls `condition` every `poll_interval` until it returns true (-> true) or `timeout` has passed (-> false).
// The condition is evaluated once more at the deadline, so a slow poll cannot turn success into a timeout.
template <typename Condition>
bool wait_until(Condition&& condition, Millis timeout = kDefaultTimeout, Millis poll_interval = Millis(10)) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (Clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(poll_interval);
  }
}

}  // namespace aw::test
