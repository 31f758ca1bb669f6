// Shared main() helpers of the bench clients (see target_args.h).
#include "bench/lib/target_args.h"

#include <cstdio>
#include <exception>

namespace aw::bench {

void TargetArgs::add_to(CLI::App& app, std::string& label, const char* what) {
  app.add_option("--url", url, std::string(what) + " URI, e.g. ws://127.0.0.1:3001/");
  app.add_option("--port", port, "Shorthand for --url ws://127.0.0.1:<port>/");
  app.add_option("--label", label, "Name of the target in the result lines");
}

std::optional<std::string> TargetArgs::uri(const char* program) const {
  if (!url.empty()) return url;
  if (port != 0) return "ws://127.0.0.1:" + std::to_string(port) + "/";
  std::fprintf(stderr, "%s: give --url or --port\n", program);
  return std::nullopt;
}

int run_to_exit_status(const char* program, const std::function<Status()>& mode) {
  Status status;
  try {
    status = mode();
  } catch (const std::exception& e) {
    status = Status::internal(e.what());
  }
  if (status.is_ok()) return 0;
  std::fprintf(stderr, "%s: %s\n", program, status.message().c_str());
  return 1;
}

}  // namespace aw::bench
