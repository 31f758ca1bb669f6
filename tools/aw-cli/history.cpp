// History (see history.h).
#include "tools/aw-cli/history.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "common/env.h"

namespace aw::cli {

History::History(std::string path, std::size_t max_lines) : path_(std::move(path)), max_lines_(max_lines) {}

Result<History> History::from_env() {
  auto size = env_int("AW_CLI_HISTORY_SIZE", static_cast<std::int64_t>(kDefaultSize), 0, 100000);
  if (!size) return size.status();
  std::string path;
  // Set but empty means "do not save" (env_string would read it as unset).
  if (const char* configured = std::getenv("AW_CLI_HISTORY")) {
    path = configured;
  } else if (auto home = env_string("HOME"); home && !home->empty()) {
    path = *home + "/.aw_cli_history";
  }
  if (*size == 0) path.clear();
  return History(path, static_cast<std::size_t>(*size));
}

void History::load() {
  lines_.clear();
  if (path_.empty() || max_lines_ == 0) return;
  std::ifstream in(path_);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines_.push_back(line);
  }
  if (lines_.size() > max_lines_) lines_.erase(lines_.begin(), lines_.end() - static_cast<long>(max_lines_));
}

Status History::add(const std::string& line) {
  if (max_lines_ == 0 || line.empty() || (!lines_.empty() && lines_.back() == line)) return Status::ok();
  // One entry per file line: a pasted newline would split it.
  if (line.find('\n') != std::string::npos) return Status::ok();
  lines_.push_back(line);
  if (lines_.size() > max_lines_) lines_.erase(lines_.begin());
  return save();
}

Status History::save() const {
  if (path_.empty()) return Status::ok();
  const std::string tmp = path_ + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::error("io_error", "cannot write " + tmp);
  std::string text;
  for (const auto& l : lines_) text += l + "\n";
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool closed = ::close(fd) == 0;
  const bool ok = done == text.size() && closed;
  if (!ok || std::rename(tmp.c_str(), path_.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::error("io_error", "cannot write " + path_);
  }
  return Status::ok();
}

}  // namespace aw::cli
