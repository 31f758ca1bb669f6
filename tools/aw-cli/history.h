// History: aw-cli's input history, kept across sessions in a file (one line per entry, oldest first).
// Settings (docs/client.md): AW_CLI_HISTORY = the file (default $HOME/.aw_cli_history; empty = not saved),
// AW_CLI_HISTORY_SIZE = how many lines are kept, default 500 (0 = no history at all). The file is rewritten after
// each line (write to a temporary file, then rename: a crash never leaves half a file), mode 0600 because lines may
// hold what the user typed to agents. A file that cannot be read or written only loses the persistence.
// Thread-safety: none; the main thread (line editor).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"

namespace aw::cli {

class History {
 public:
  static constexpr std::size_t kDefaultSize = 500;

  // `path` "" = in memory only.
  History(std::string path, std::size_t max_lines);
  // The settings from the environment; an invalid AW_CLI_HISTORY_SIZE fails naming the variable.
  static Result<History> from_env();

  // Reads the file (missing = empty); keeps the newest max_lines lines.
  void load();
  // Remembers a submitted line (empty lines and a repeat of the last line are skipped) and saves the file.
  // Fails when the file cannot be written (the line is still remembered).
  Status add(const std::string& line);

  const std::vector<std::string>& lines() const { return lines_; }
  const std::string& path() const { return path_; }

 private:
  Status save() const;

  std::string path_;
  std::size_t max_lines_;
  std::vector<std::string> lines_;
};

}  // namespace aw::cli
