// GatewayProcess: one real aw-gateway process for an integration test, in a fresh temporary directory that holds
// its data directory, SQLite file, port file and captured stderr/stdout.
// Port discovery: the gateway gets WS_PORT=0 and AW_PORT_FILE=<dir>/port and writes the bound port there after
// listening; start() waits for that file, then for GET /readyz -> 200, each with a deadline.
// Default environment (options.env adds to or overrides it): AW_HOST=127.0.0.1, AGENT_WORLD_DATA_PATH=<dir>/data,
// AGENT_WORLD_SQLITE_DATABASE=<dir>/data/agent-world-cpp.db, LOG_LEVEL=warn, HOME=<dir>, PATH, and the bus and
// tap/admin endpoints on free loopback ports (so that gateways started in parallel do not collide on 5555-5559).
// Nothing else is inherited from the test's environment.
// Thread-safety: one test thread.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "tests/support/http_client.h"
#include "tests/support/wait.h"

namespace aw::test {

using EnvMap = std::map<std::string, std::string>;

struct GatewayOptions {
  std::string binary;           // path of aw-gateway (the tests pass AW_GATEWAY_BINARY)
  EnvMap env;                   // added to, or replacing, the defaults above
  Millis ready_timeout{15000};  // port file + /readyz
};

class GatewayProcess {
 public:
  // Creates the temporary directory, spawns the gateway and waits until it is ready. On failure the error message
  // includes the gateway's stderr.
  static Result<std::unique_ptr<GatewayProcess>> start(GatewayOptions options);
  // Kills the process (SIGKILL) if it still runs and removes the temporary directory (kept when the test's
  // environment sets AW_TEST_KEEP_TMP, for debugging).
  ~GatewayProcess();
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1"; }
  // ws://127.0.0.1:<port><path>
  std::string url(const std::string& path = "/") const;
  Result<HttpResponse> http_get(const std::string& path, Millis timeout = kDefaultTimeout) const;

  // SIGTERM, then waits for the exit; the exit status, or 128 + signal number when a signal ended it. On timeout
  // the process is killed (SIGKILL) and the call fails.
  Result<int> terminate(Millis timeout = Millis(15000));
  // Sends a signal without waiting.
  Status send_signal(int signal_number);
  // Waits for the process to end: its exit status as for terminate(); fails on timeout (the process keeps running).
  Result<int> wait_exit(Millis timeout);
  // SIGKILL and reap.
  void kill9();
  // Stops the process if it runs (SIGTERM), then starts it again with the same environment and directory (hence
  // the same database) and waits until it is ready. The port changes.
  Status restart();

  bool is_running();
  pid_t pid() const { return pid_; }
  // Everything the gateway wrote to stderr so far (all runs).
  std::string stderr_text() const;
  const std::string& temp_dir() const { return temp_dir_; }
  std::string database_path() const;
  const EnvMap& env() const { return env_; }

 private:
  GatewayProcess() = default;
  Status spawn();
  Status wait_ready(Millis timeout);
  // Reaps the child if it has exited; true when it has.
  bool reap(bool block);

  std::string binary_;
  EnvMap env_;
  std::string temp_dir_;
  Millis ready_timeout_{15000};
  pid_t pid_ = -1;
  int port_ = 0;
  std::optional<int> exit_status_;  // of the last run, once reaped
};

}  // namespace aw::test
