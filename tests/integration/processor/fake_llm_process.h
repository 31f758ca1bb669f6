// FakeLlmProcess: the real aw-fake-llm binary as a child process of a test. start() writes the script to a
// temporary directory, forks and execs the binary with --port 0 and a --port-file there, and returns once the port
// file exists (an inotify watch on the directory and the child's stderr pipe wake the launcher: no sleeps, no
// polling). The child's stderr is collected on a thread for diagnostics. stop() sends SIGTERM and reaps the child
// (SIGKILL after the timeout); the destructor does the same if the test did not.
// No cpprest, no Asio: plain POSIX, so any processor test can use it.
// Thread-safety: one FakeLlmProcess per test thread; stderr_text() may be called from any thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/status.h"

namespace aw::test {

struct FakeLlmOptions {
  std::string binary;                   // "" -> AW_FAKE_LLM_BINARY (set by CMake)
  std::string script_json;              // written to a file and passed as --script when not empty
  std::vector<std::string> extra_args;  // e.g. {"--chunk-delay-ms", "5"}
  std::string log_level = "info";       // LOG_LEVEL of the child
  std::chrono::milliseconds start_timeout{10000};
};

class FakeLlmProcess {
 public:
  // Starts the binary and waits for its port. Fails when it cannot be started, exits before listening (the error
  // then says "exited with status <n>" and carries its stderr), or publishes no port within start_timeout.
  static Result<std::unique_ptr<FakeLlmProcess>> start(FakeLlmOptions options = FakeLlmOptions());

  ~FakeLlmProcess();
  FakeLlmProcess(const FakeLlmProcess&) = delete;
  FakeLlmProcess& operator=(const FakeLlmProcess&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>", a base URL for any provider.
  std::string base_url() const;
  pid_t pid() const { return pid_; }

  // SIGTERM, then waits up to `timeout` for the exit (SIGKILL after that). Returns the exit status, or 128 + the
  // signal number if a signal ended it. A second call returns the first result.
  Result<int> stop(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

  // What the child has written to stderr so far (JSON log lines).
  std::string stderr_text() const;
  // Waits until the child's stderr contains `needle` (true) or `timeout` passes or stderr closes (false).
  bool wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout);

 private:
  FakeLlmProcess() = default;
  void drain_stderr();
  // Waits for the stderr pipe to reach EOF (the child has exited or closed it) until `deadline`.
  bool wait_stderr_closed(std::chrono::steady_clock::time_point deadline);
  void remove_files();

  pid_t pid_ = -1;
  int port_ = 0;
  int stderr_fd_ = -1;
  std::string dir_;  // temporary directory holding the script and the port file
  std::thread drain_thread_;
  std::optional<int> exit_status_;

  mutable std::mutex mutex_;                // guards stderr_, stderr_closed_
  std::condition_variable stderr_changed_;  // more stderr arrived, or it closed
  std::string stderr_;
  bool stderr_closed_ = false;
};

}  // namespace aw::test
