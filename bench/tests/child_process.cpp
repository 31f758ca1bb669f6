// ChildProcess and run_captured (see child_process.h).
#include "bench/tests/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace aw::bench::test {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

int decode_status(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

// In the child after fork: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(std::vector<char*>& args, int out_fd, int err_fd) {
  if (out_fd >= 0) ::dup2(out_fd, STDOUT_FILENO);
  if (err_fd >= 0) ::dup2(err_fd, STDERR_FILENO);
  ::execv(args[0], args.data());
  ::_exit(127);
}

// Polls waitpid until the child is reaped or the deadline passes (a child exit has no notification to wait on
// without a SIGCHLD handler, which a test binary should not install).
std::optional<int> reap_until(pid_t pid, Clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return decode_status(status);
    if (r < 0 && errno != EINTR) return 127;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(const std::vector<std::string>& argv,
                                                          const std::string& output_path) {
  if (argv.empty()) return Status::invalid_request("spawn: empty argv");
  const int out_fd = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0) return Status::internal("spawn: cannot open " + output_path + ": " + std::strerror(errno));
  auto args = c_argv(argv);
  const pid_t pid = ::fork();
  if (pid == 0) exec_child(args, out_fd, out_fd);
  ::close(out_fd);
  if (pid < 0) return Status::internal(std::string("spawn: fork failed: ") + std::strerror(errno));
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid));
}

ChildProcess::~ChildProcess() {
  if (exit_status_) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}

Result<int> ChildProcess::wait_exit(Millis timeout) {
  if (exit_status_) return *exit_status_;
  exit_status_ = reap_until(pid_, Clock::now() + timeout);
  if (!exit_status_) return Status::internal("child " + std::to_string(pid_) + " still running after the timeout");
  return *exit_status_;
}

Result<int> ChildProcess::terminate(Millis timeout) {
  if (!exit_status_) ::kill(pid_, SIGTERM);
  return wait_exit(timeout);
}

Result<CapturedRun> run_captured(const std::vector<std::string>& argv, Millis timeout) {
  if (argv.empty()) return Status::invalid_request("run_captured: empty argv");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Status::internal(std::string("pipe: ") + std::strerror(errno));
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  auto args = c_argv(argv);
  const pid_t pid = ::fork();
  if (pid == 0) exec_child(args, fds[1], null_fd);
  ::close(fds[1]);
  if (null_fd >= 0) ::close(null_fd);
  if (pid < 0) {
    ::close(fds[0]);
    return Status::internal(std::string("fork: ") + std::strerror(errno));
  }

  const auto deadline = Clock::now() + timeout;
  CapturedRun run;
  bool timed_out = false;
  char buf[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) {
      run.out.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;  // EOF: the child closed stdout (normally by exiting)
  }
  ::close(fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  const auto status = reap_until(pid, timed_out ? Clock::now() + Millis(5000) : deadline + Millis(5000));
  if (timed_out || !status) {
    if (!status) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    return Status::internal(argv[0] + " did not finish in time; output so far: " + run.out);
  }
  run.exit_status = *status;
  return run;
}

}  // namespace aw::bench::test
