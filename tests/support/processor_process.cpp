#include "tests/support/processor_process.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace aw::test {
namespace {

constexpr const char* kWelcomedNeedle = "\"welcomed\"";
constexpr std::string_view kIdKey = "\"processorId\":\"";

}  // namespace

Result<std::unique_ptr<ProcessorProcess>> ProcessorProcess::start(ProcessorOptions options) {
  std::unique_ptr<ProcessorProcess> p(new ProcessorProcess());
  p->binary_ = std::move(options.binary);
  std::string tmpl = (std::filesystem::temp_directory_path() / "aw-processor-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) return Status::error("io", std::string("mkdtemp: ") + std::strerror(errno));
  p->temp_dir_ = tmpl;
  // LOG_PROCESSOR_WORKER keeps the worker's "welcomed" line visible when a caller lowers LOG_LEVEL to warn.
  p->env_ = {{"LOG_LEVEL", "info"}, {"LOG_PROCESSOR_WORKER", "info"}, {"HOME", p->temp_dir_}};
  if (const char* path = std::getenv("PATH")) p->env_["PATH"] = path;
  for (auto& [key, value] : options.env) p->env_[key] = value;
  if (auto s = p->spawn(); !s) return s;
  if (options.wait_welcomed && !p->wait_for_stderr(kWelcomedNeedle, options.ready_timeout)) {
    return Status::error("timeout", "aw-processor was not welcomed in time; stderr:\n" + p->stderr_text());
  }
  return p;
}

ProcessorProcess::~ProcessorProcess() {
  if (pid_ > 0 && !reap(false)) {
    ::kill(pid_, SIGKILL);
    reap(true);
  }
  if (!temp_dir_.empty() && std::getenv("AW_TEST_KEEP_TMP") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
  }
}

Status ProcessorProcess::spawn() {
  std::vector<std::string> env_entries;
  for (const auto& [key, value] : env_) env_entries.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& e : env_entries) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string binary = binary_;
  char* argv[] = {binary.data(), nullptr};
  const std::string err_path = temp_dir_ + "/stderr.log";
  const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (err_fd < 0) return Status::error("io", "open " + err_path + ": " + std::strerror(errno));
  const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(err_fd);
    if (null_fd >= 0) ::close(null_fd);
    return Status::error("io", std::string("fork: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    if (null_fd >= 0) {
      ::dup2(null_fd, STDIN_FILENO);
      ::dup2(null_fd, STDOUT_FILENO);
    }
    ::dup2(err_fd, STDERR_FILENO);
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  ::close(err_fd);
  if (null_fd >= 0) ::close(null_fd);
  exit_status_.reset();
  return Status::ok();
}

bool ProcessorProcess::reap(bool block) {
  if (exit_status_) return true;
  if (pid_ <= 0) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (r != pid_) return false;
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

bool ProcessorProcess::is_running() { return !reap(false); }

Status ProcessorProcess::send_signal(int signal_number) {
  if (!is_running()) return Status::error("exited", "aw-processor is not running");
  if (::kill(pid_, signal_number) != 0) return Status::error("io", std::string("kill: ") + std::strerror(errno));
  return Status::ok();
}

Result<int> ProcessorProcess::wait_exit(Millis timeout) {
  if (!wait_until([this] { return reap(false); }, timeout, Millis(5))) {
    return Status::error("timeout", "aw-processor did not exit in time; stderr:\n" + stderr_text());
  }
  return *exit_status_;
}

Result<int> ProcessorProcess::terminate(Millis timeout) {
  if (reap(false)) return *exit_status_;
  ::kill(pid_, SIGTERM);
  auto status = wait_exit(timeout);
  if (!status) kill9();
  return status;
}

void ProcessorProcess::kill9() {
  if (reap(false)) return;
  ::kill(pid_, SIGKILL);
  reap(true);
}

std::string ProcessorProcess::stderr_text() const {
  std::ifstream in(temp_dir_ + "/stderr.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool ProcessorProcess::wait_for_stderr(std::string_view needle, Millis timeout) const {
  return wait_until([&] { return stderr_text().find(needle) != std::string::npos; }, timeout);
}

std::string ProcessorProcess::processor_id() const {
  const std::string text = stderr_text();
  const auto key = text.find(kIdKey);
  if (key == std::string::npos) return "";
  const auto start = key + kIdKey.size();
  const auto end = text.find('"', start);
  return end == std::string::npos ? "" : text.substr(start, end - start);
}

}  // namespace aw::test
