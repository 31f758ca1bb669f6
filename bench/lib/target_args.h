// What every bench client's main() does alike: the target options (--url, or --port as the loopback shorthand, and
// --label) and turning the mode's outcome into an exit status.
// Thread-safety: main thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "common/status.h"

namespace aw::bench {

struct TargetArgs {
  std::string url;
  std::uint16_t port = 0;

  // Adds --url, --port and --label (stored in `label`) to `app`; `what` names the target in the help text.
  void add_to(CLI::App& app, std::string& label, const char* what);
  // The target's URI; nullopt, after saying so on stderr as `program: …`, when neither --url nor --port was given.
  std::optional<std::string> uri(const char* program) const;
};

// Runs `mode` and returns the exit status: 0 when it succeeded, 1 when it failed or threw (websocketpp and Asio
// may throw, e.g. out of file descriptors), after printing `program: <why>` on stderr.
int run_to_exit_status(const char* program, const std::function<Status()>& mode);

}  // namespace aw::bench
