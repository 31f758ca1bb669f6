// Launching aw-fake-llm for tests (see fake_llm_process.h).
#include "tests/integration/processor/fake_llm_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

extern char** environ;

namespace aw::test {

namespace {

using Clock = std::chrono::steady_clock;

// The exit status as the shell reports it: the code, or 128 + the signal.
int decode_wait_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// The port in `path` once the file exists (it appears whole: the server renames it into place).
std::optional<int> read_port_file(const std::string& path) {
  std::ifstream in(path);
  int port = 0;
  if (!(in >> port) || port <= 0 || port > 65535) return std::nullopt;
  return port;
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

}  // namespace

Result<std::unique_ptr<FakeLlmProcess>> FakeLlmProcess::start(FakeLlmOptions options) {
  std::unique_ptr<FakeLlmProcess> process(new FakeLlmProcess());
  std::string binary = options.binary;
#ifdef AW_FAKE_LLM_BINARY
  if (binary.empty()) binary = AW_FAKE_LLM_BINARY;
#endif
  if (binary.empty()) return Status::invalid_request("FakeLlmOptions.binary is empty and AW_FAKE_LLM_BINARY unset");

  char dir_template[] = "/tmp/aw-fake-llm-test-XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) return Status::internal(std::string("mkdtemp: ") + std::strerror(errno));
  process->dir_ = dir_template;
  const std::string port_file = process->dir_ + "/port";

  std::vector<std::string> args{binary, "--port", "0", "--port-file", port_file};
  if (!options.script_json.empty()) {
    const std::string script_file = process->dir_ + "/script.json";
    std::ofstream out(script_file, std::ios::trunc);
    out << options.script_json;
    if (!out) return Status::internal("cannot write " + script_file);
    args.push_back("--script");
    args.push_back(script_file);
  }
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());

  // Watch the directory before the child exists, so the rename of the port file cannot be missed.
  const int watch_fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (watch_fd < 0) return Status::internal(std::string("inotify_init1: ") + std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } watch_closer{watch_fd};
  if (::inotify_add_watch(watch_fd, process->dir_.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
    return Status::internal(std::string("inotify_add_watch: ") + std::strerror(errno));
  }

  // Everything the child needs is built before fork: after it, only async-signal-safe calls are allowed.
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, "LOG_LEVEL=", 10) != 0) env_strings.emplace_back(*e);
  }
  env_strings.push_back("LOG_LEVEL=" + options.log_level);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  std::array<int, 2> pipe_fds{};
  if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) return Status::internal(std::string("pipe2: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return Status::internal(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    static constexpr char kFailed[] = "aw-fake-llm launcher: execve failed\n";
    (void)!::write(STDERR_FILENO, kFailed, sizeof(kFailed) - 1);
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  process->pid_ = pid;
  process->stderr_fd_ = pipe_fds[0];

  const auto deadline = Clock::now() + options.start_timeout;
  for (;;) {
    if (const std::optional<int> port = read_port_file(port_file)) {
      process->port_ = *port;
      break;
    }
    std::array<pollfd, 2> fds{{{watch_fd, POLLIN, 0}, {process->stderr_fd_, POLLIN, 0}}};
    const int ready = ::poll(fds.data(), fds.size(), remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      process->exit_status_ = decode_wait_status(status);
      return Status::internal("aw-fake-llm published no port within the start timeout; stderr: " +
                              process->stderr_text());
    }
    if (fds[0].revents & POLLIN) {
      std::array<char, 4096> events{};
      while (::read(watch_fd, events.data(), events.size()) > 0) {
      }
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      std::array<char, 4096> buffer{};
      const ssize_t n = ::read(process->stderr_fd_, buffer.data(), buffer.size());
      if (n > 0) {
        std::lock_guard<std::mutex> lock(process->mutex_);
        process->stderr_.append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0) {
        // EOF before a port: the child has exited (a bad script, an unusable address, a missing binary).
        int status = 0;
        ::waitpid(pid, &status, 0);
        process->exit_status_ = decode_wait_status(status);
        {
          std::lock_guard<std::mutex> lock(process->mutex_);
          process->stderr_closed_ = true;
        }
        return Status::internal("aw-fake-llm exited with status " + std::to_string(*process->exit_status_) +
                                " before listening; stderr: " + process->stderr_text());
      }
    }
  }
  process->drain_thread_ = std::thread([p = process.get()] { p->drain_stderr(); });
  return process;
}

FakeLlmProcess::~FakeLlmProcess() {
  if (pid_ > 0 && !exit_status_) (void)stop();
  if (drain_thread_.joinable()) drain_thread_.join();
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
  remove_files();
}

std::string FakeLlmProcess::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

Result<int> FakeLlmProcess::stop(std::chrono::milliseconds timeout) {
  if (exit_status_) return *exit_status_;
  if (pid_ <= 0) return Status::internal("aw-fake-llm was never started");
  ::kill(pid_, SIGTERM);
  // The stderr pipe closes when the process exits: that is the wake-up, so no polling of waitpid.
  if (!wait_stderr_closed(Clock::now() + timeout)) {
    ::kill(pid_, SIGKILL);
    wait_stderr_closed(Clock::now() + std::chrono::seconds(5));
  }
  int status = 0;
  if (::waitpid(pid_, &status, 0) != pid_) return Status::internal(std::string("waitpid: ") + std::strerror(errno));
  exit_status_ = decode_wait_status(status);
  if (drain_thread_.joinable()) drain_thread_.join();
  return *exit_status_;
}

std::string FakeLlmProcess::stderr_text() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stderr_;
}

void FakeLlmProcess::drain_stderr() {
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(stderr_fd_, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    std::lock_guard<std::mutex> lock(mutex_);
    stderr_changed_.notify_all();
    if (n <= 0) {
      stderr_closed_ = true;
      return;
    }
    stderr_.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

bool FakeLlmProcess::wait_stderr_closed(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return stderr_changed_.wait_until(lock, deadline, [this] { return stderr_closed_; });
}

bool FakeLlmProcess::wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  stderr_changed_.wait_for(lock, timeout, [&] { return stderr_closed_ || stderr_.find(needle) != std::string::npos; });
  return stderr_.find(needle) != std::string::npos;
}

void FakeLlmProcess::remove_files() {
  if (dir_.empty()) return;
  for (const char* name : {"/port", "/port.tmp", "/script.json"}) ::unlink((dir_ + name).c_str());
  ::rmdir(dir_.c_str());
  dir_.clear();
}

}  // namespace aw::test
