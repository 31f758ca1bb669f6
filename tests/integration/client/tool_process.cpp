// run_tool and PtySession (see tool_process.h).
#include "tests/integration/client/tool_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace aw::test {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> env_strings(std::map<std::string, std::string> env) {
  if (env.count("PATH") == 0) env["PATH"] = "/usr/bin:/bin";
  if (env.count("HOME") == 0) env["HOME"] = "/tmp";
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

// argv and envp as execve wants them, built before fork(): the test process has threads (clients' io threads), and
// a child that allocates after fork() can block for ever on an allocator lock another thread held at the fork (this
// happened under ASan: aw-cli "hung" before exec, with no output). The child calls only async-signal-safe functions.
struct ExecArgs {
  ExecArgs(const std::vector<std::string>& argv, std::vector<std::string> env) : envs(std::move(env)) {
    args_storage = argv;
    for (auto& a : args_storage) args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& e : envs) envp.push_back(e.data());
    envp.push_back(nullptr);
  }
  std::vector<std::string> args_storage;
  std::vector<std::string> envs;
  std::vector<char*> args;
  std::vector<char*> envp;
};

[[noreturn]] void exec_child(const ExecArgs& e) {
  execve(e.args[0], e.args.data(), e.envp.data());
  _exit(127);
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ToolResult run_tool(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                    std::chrono::milliseconds timeout, const std::string& input) {
  ToolResult r;
  int out_pipe[2];
  int err_pipe[2];
  int in_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 || pipe2(in_pipe, O_CLOEXEC) != 0) return r;
  const ExecArgs exec_args(argv, env_strings(env));
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    exec_child(exec_args);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(in_pipe[0]);
  // The input is small (a few lines): one write fits the pipe buffer.
  if (!input.empty()) (void)!write(in_pipe[1], input.data(), input.size());
  close(in_pipe[1]);
  const auto deadline = Clock::now() + timeout;
  bool out_open = true;
  bool err_open = true;
  while (out_open || err_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      r.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    if (poll(fds, 2, static_cast<int>(left)) < 0 && errno != EINTR) break;
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      bool& open = i == 0 ? out_open : err_open;
      if (!open || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        open = false;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
      }
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_status = decode_status(status);
  return r;
}

PtySession::PtySession(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  const ExecArgs exec_args(argv, env_strings(env));
  winsize ws{};
  ws.ws_row = 24;
  ws.ws_col = 80;
  pid_ = forkpty(&master_, nullptr, nullptr, &ws);
  if (pid_ == 0) exec_child(exec_args);
  if (pid_ < 0) master_ = -1;
}

PtySession::~PtySession() {
  if (pid_ > 0 && exit_status_ < 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (master_ >= 0) close(master_);
}

void PtySession::type(const std::string& keys) {
  if (master_ >= 0) (void)!write(master_, keys.data(), keys.size());
}

void PtySession::pump(int timeout_ms) {
  pollfd fd{master_, POLLIN, 0};
  if (poll(&fd, 1, timeout_ms) <= 0) return;
  char buf[4096];
  const ssize_t n = read(master_, buf, sizeof buf);
  if (n > 0) screen_.append(buf, static_cast<std::size_t>(n));
}

bool PtySession::wait_for(const std::string& needle, std::chrono::milliseconds timeout, std::size_t from) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (screen_.find(needle, std::min(from, screen_.size())) != std::string::npos) return true;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0 || master_ < 0) return false;
    pump(static_cast<int>(left));
  }
}

int PtySession::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (exit_status_ < 0) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_status_ = decode_status(status);
      break;
    }
    if (Clock::now() >= deadline) return -1;
    pump(20);  // drain the terminal meanwhile (a full pty would block the child)
  }
  return exit_status_;
}

}  // namespace aw::test
