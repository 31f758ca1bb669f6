// GatewayProcess (see gateway_process.h): fork/execve with everything prepared before the fork (the test process
// has threads, so the child only calls async-signal-safe functions until execve).
#include "tests/support/gateway_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "tests/support/tcp_socket.h"

namespace aw::test {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Closes every descriptor above stderr in the child: test sockets must not leak into the gateway.
void close_inherited_fds() {
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
#endif
  const long max_fd = ::sysconf(_SC_OPEN_MAX);
  for (long fd = 3; fd < (max_fd > 0 ? max_fd : 4096); ++fd) ::close(static_cast<int>(fd));
}

}  // namespace

Result<std::unique_ptr<GatewayProcess>> GatewayProcess::start(GatewayOptions options) {
  std::unique_ptr<GatewayProcess> gateway(new GatewayProcess());
  gateway->binary_ = options.binary;
  gateway->ready_timeout_ = options.ready_timeout;
  std::string tmpl = (std::filesystem::temp_directory_path() / "aw-it-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) return Status::error("io", std::string("mkdtemp: ") + std::strerror(errno));
  gateway->temp_dir_ = tmpl;
  const std::string data_dir = tmpl + "/data";
  std::filesystem::create_directories(data_dir);

  // The bus ports are picked free here and bound by the gateway a moment later; another process may take one in
  // between (ephemeral ports of outgoing connections share the range). A start that fails on exactly that is
  // retried with fresh ports.
  constexpr int kStartAttempts = 3;
  Status s;
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    EnvMap env{
        {"WS_PORT", "0"},
        {"AW_PORT_FILE", tmpl + "/port"},
        {"AW_HOST", "127.0.0.1"},
        {"AGENT_WORLD_DATA_PATH", data_dir},
        {"AGENT_WORLD_SQLITE_DATABASE", data_dir + "/agent-world-cpp.db"},
        {"LOG_LEVEL", "warn"},
        {"HOME", tmpl},
        {"PATH", "/usr/local/bin:/usr/bin:/bin"},
        {"AW_BUS_WORK", "tcp://127.0.0.1:" + std::to_string(pick_free_port())},
        {"AW_BUS_EVENTS", "tcp://127.0.0.1:" + std::to_string(pick_free_port())},
        {"AW_BUS_CTL", "tcp://127.0.0.1:" + std::to_string(pick_free_port())},
        {"AW_TAP_BIND", "tcp://127.0.0.1:" + std::to_string(pick_free_port())},
        {"AW_ADMIN_BIND", "tcp://127.0.0.1:" + std::to_string(pick_free_port())},
    };
    for (const auto& [key, value] : options.env) env[key] = value;
    gateway->env_ = std::move(env);

    s = gateway->spawn();
    if (!s) return s;
    s = gateway->wait_ready(gateway->ready_timeout_);
    if (s) break;
    const bool port_taken = s.message().find("Address already in use") != std::string::npos;
    if (!port_taken || attempt == kStartAttempts || gateway->is_running()) return s;
  }
  return gateway;
}

GatewayProcess::~GatewayProcess() {
  if (pid_ > 0 && !reap(false)) kill9();
  if (!temp_dir_.empty() && std::getenv("AW_TEST_KEEP_TMP") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
  }
}

Status GatewayProcess::spawn() {
  std::error_code ec;
  std::filesystem::remove(env_["AW_PORT_FILE"], ec);
  port_ = 0;
  exit_status_.reset();

  std::vector<std::string> env_strings;
  for (const auto& [key, value] : env_) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string binary = binary_;
  char* argv[] = {binary.data(), nullptr};

  const int err_fd =
      ::open((temp_dir_ + "/gateway.stderr.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const int out_fd =
      ::open((temp_dir_ + "/gateway.stdout.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (err_fd < 0 || out_fd < 0 || null_fd < 0) return Status::error("io", "cannot open the gateway's log files");
  const std::string work_dir = temp_dir_;

  const pid_t child = ::fork();
  if (child == 0) {
    // The gateway must not outlive a crashed test run.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP}) ::signal(sig, SIG_DFL);
    ::dup2(null_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    close_inherited_fds();
    if (::chdir(work_dir.c_str()) != 0) ::_exit(126);
    ::execve(binary.c_str(), argv, envp.data());
    ::_exit(127);
  }
  ::close(err_fd);
  ::close(out_fd);
  ::close(null_fd);
  if (child < 0) return Status::error("io", std::string("fork: ") + std::strerror(errno));
  pid_ = child;
  return Status::ok();
}

Status GatewayProcess::wait_ready(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  const std::string port_file = env_.at("AW_PORT_FILE");
  int ready_status = 0;
  const bool ready = wait_until(
      [&] {
        if (reap(false)) return true;  // exited: stop waiting, report below
        if (port_ == 0) {
          const std::string text = read_file(port_file);
          // Written atomically as "<port>\n": a partial read cannot happen, but be strict anyway.
          if (text.empty() || text.back() != '\n') return false;
          port_ = std::atoi(text.c_str());
          if (port_ <= 0) return false;
        }
        auto response = http_request(host(), port_, "GET", "/readyz", Millis(1000));
        ready_status = response.is_ok() ? response->status : 0;
        return ready_status == 200;
      },
      std::chrono::duration_cast<Millis>(deadline - Clock::now()));
  if (exit_status_) {
    return Status::error("gateway_exited", "aw-gateway exited with status " + std::to_string(*exit_status_) +
                                               " before it was ready; stderr:\n" + stderr_text());
  }
  if (!ready) {
    return Status::error("timeout", "aw-gateway not ready in time (port " + std::to_string(port_) + ", /readyz " +
                                        std::to_string(ready_status) + "); stderr:\n" + stderr_text());
  }
  return Status::ok();
}

bool GatewayProcess::reap(bool block) {
  if (exit_status_) return true;
  if (pid_ <= 0) return true;
  int status = 0;
  const pid_t rc = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (rc == pid_) {
    exit_status_ = decode_wait_status(status);
    return true;
  }
  return rc < 0;  // no such child: nothing left to wait for
}

std::string GatewayProcess::url(const std::string& path) const {
  return "ws://" + host() + ":" + std::to_string(port_) + path;
}

Result<HttpResponse> GatewayProcess::http_get(const std::string& path, Millis timeout) const {
  return http_request(host(), port_, "GET", path, timeout);
}

Status GatewayProcess::send_signal(int signal_number) {
  if (reap(false)) return Status::error("not_running", "aw-gateway is not running");
  if (::kill(pid_, signal_number) != 0) return Status::error("io", std::string("kill: ") + std::strerror(errno));
  return Status::ok();
}

Result<int> GatewayProcess::wait_exit(Millis timeout) {
  if (!wait_until([this] { return reap(false); }, timeout, Millis(5))) {
    return Status::error("timeout", "aw-gateway did not exit in time");
  }
  return exit_status_.value_or(-1);
}

Result<int> GatewayProcess::terminate(Millis timeout) {
  if (!reap(false)) {
    Status s = send_signal(SIGTERM);
    if (!s && !reap(false)) return s;
  }
  auto status = wait_exit(timeout);
  if (!status) {
    kill9();
    return Status::error("timeout", "aw-gateway ignored SIGTERM for " + std::to_string(timeout.count()) + " ms");
  }
  return status;
}

void GatewayProcess::kill9() {
  if (reap(false)) return;
  ::kill(pid_, SIGKILL);
  reap(true);
}

Status GatewayProcess::restart() {
  if (!reap(false)) {
    auto status = terminate();
    if (!status) return status.status();
  }
  Status s = spawn();
  if (!s) return s;
  return wait_ready(ready_timeout_);
}

bool GatewayProcess::is_running() { return !reap(false); }

std::string GatewayProcess::stderr_text() const { return read_file(temp_dir_ + "/gateway.stderr.log"); }

std::string GatewayProcess::database_path() const { return env_.at("AGENT_WORLD_SQLITE_DATABASE"); }

}  // namespace aw::test
