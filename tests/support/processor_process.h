// ProcessorProcess: one real aw-processor process (bus worker mode) for an integration test, in a fresh temporary
// directory that holds its captured stderr (JSON log lines).
// Readiness: the worker logs {"msg":"welcomed",...} (LOG_LEVEL info) once a gateway welcomed it; start() waits for
// that line when options.wait_welcomed is set (the default), so the caller knows its PULL socket is connected.
// Default environment (options.env adds to or overrides it): LOG_LEVEL=info, LOG_PROCESSOR_WORKER=info (so the
// readiness line survives a lower LOG_LEVEL), HOME=<dir>, PATH. Nothing else is
// inherited from the test's environment, so a developer's provider keys never reach a test.
// Plain POSIX (fork/exec), no websocketpp or cpprest: any test executable can compile it in.
// Thread-safety: one test thread.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "tests/support/wait.h"

namespace aw::test {

struct ProcessorOptions {
  std::string binary;                      // path of aw-processor (the tests pass AW_PROCESSOR_BINARY)
  std::map<std::string, std::string> env;  // added to, or replacing, the defaults above
  bool wait_welcomed = true;               // start() waits for the "welcomed" log line
  Millis ready_timeout{15000};
};

class ProcessorProcess {
 public:
  // Spawns the processor (and waits for the welcome when asked). On failure the message includes its stderr.
  static Result<std::unique_ptr<ProcessorProcess>> start(ProcessorOptions options);
  // Kills the process (SIGKILL) if it still runs and removes the temporary directory (kept when AW_TEST_KEEP_TMP
  // is set).
  ~ProcessorProcess();
  ProcessorProcess(const ProcessorProcess&) = delete;
  ProcessorProcess& operator=(const ProcessorProcess&) = delete;

  // SIGTERM, then waits for the exit: the exit status, or 128 + signal number when a signal ended it. On timeout
  // the process is killed (SIGKILL) and the call fails.
  Result<int> terminate(Millis timeout = Millis(15000));
  // Sends a signal without waiting (SIGSTOP/SIGCONT to freeze it, SIGTERM to start a shutdown).
  Status send_signal(int signal_number);
  // Waits for the process to end (status as for terminate()); fails on timeout, the process keeps running.
  Result<int> wait_exit(Millis timeout);
  // SIGKILL and reap.
  void kill9();
  bool is_running();
  pid_t pid() const { return pid_; }

  // Everything the processor wrote to stderr so far.
  std::string stderr_text() const;
  // Waits until stderr contains `needle`.
  bool wait_for_stderr(std::string_view needle, Millis timeout = kDefaultTimeout) const;
  // The processorId from its "bus worker started" log line ("" until it is logged).
  std::string processor_id() const;
  const std::string& temp_dir() const { return temp_dir_; }

 private:
  ProcessorProcess() = default;
  Status spawn();
  bool reap(bool block);

  std::string binary_;
  std::map<std::string, std::string> env_;
  std::string temp_dir_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

}  // namespace aw::test
