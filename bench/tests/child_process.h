// ChildProcess: the bench programs as real child processes for the end-to-end tests (fork + exec, no shell).
// Every wait has a deadline; a child still running when its ChildProcess is destroyed gets SIGKILL and is reaped.
// Thread-safety: one test thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace aw::bench::test {

using Millis = std::chrono::milliseconds;

class ChildProcess {
 public:
  // Starts argv[0] (a path) with argv; its stdout and stderr go to output_path (truncated first).
  static Result<std::unique_ptr<ChildProcess>> spawn(const std::vector<std::string>& argv,
                                                     const std::string& output_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Waits for the exit: the exit status, or 128 + signal number. Fails on timeout (the child keeps running).
  Result<int> wait_exit(Millis timeout);
  // SIGTERM, then wait_exit(timeout).
  Result<int> terminate(Millis timeout);

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  std::optional<int> exit_status_;
};

struct CapturedRun {
  int exit_status = -1;
  std::string out;  // stdout only
};

// Runs argv to completion with stdout captured (stderr discarded). Fails when it has not ended by the deadline
// (it is then killed).
Result<CapturedRun> run_captured(const std::vector<std::string>& argv, Millis timeout);

}  // namespace aw::bench::test
