// Running aw-cli and awctl from tests: run_tool() spawns a binary with arguments and an environment, collects
// stdout and stderr, and returns its exit status (killing it at the deadline); PtySession runs one under a
// pseudo-terminal (forkpty) so that the interactive mode sees a tty, and lets the test type and read the screen.
// Thread-safety: one test thread per object.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace aw::test {

struct ToolResult {
  int exit_status = -1;  // the exit status; 128 + signal when a signal ended it
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] = path) with exactly `env` as its environment (PATH and HOME are added when missing) and
// stdin from /dev/null, or from `input` when given; kills it with SIGKILL after `timeout`.
ToolResult run_tool(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                    std::chrono::milliseconds timeout, const std::string& input = "");

class PtySession {
 public:
  // Starts argv under a new pseudo-terminal (80x24) with `env`. Check ok() before use.
  PtySession(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env);
  ~PtySession();  // SIGKILL if still running
  PtySession(const PtySession&) = delete;
  PtySession& operator=(const PtySession&) = delete;

  bool ok() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // Writes bytes as typed keys.
  void type(const std::string& keys);
  // Reads the terminal output until it contains `needle` after position `from` (true) or the timeout passes.
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout, std::size_t from = 0);
  // Waits for the process to exit: its status, or -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout);
  // Everything the program wrote to the terminal so far.
  const std::string& screen() const { return screen_; }

 private:
  void pump(int timeout_ms);

  pid_t pid_ = -1;
  int master_ = -1;
  std::string screen_;
  int exit_status_ = -1;
};

}  // namespace aw::test
