// aw-cli: the interactive client of an Agent World gateway, and `aw-cli send` for scripts. See docs/client.md.
#include <cstdio>

#include "client/client_options.h"
#include "tools/aw-cli/cli_args.h"
#include "tools/aw-cli/modes.h"

int main(int argc, char** argv) {
  // Line-buffered even into a pipe: scripts reading `--json` or `send` output see each line as it happens, and
  // nothing printed is lost if the process is killed.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  auto args = aw::cli::parse_args(argc, argv);
  if (!args) {
    std::fprintf(stderr, "aw-cli: %s\n%s", args.status().message().c_str(), aw::cli::usage_text());
    return aw::cli::kExitUsage;
  }
  if (args->help) {
    std::fputs(aw::cli::usage_text(), stdout);
    return aw::cli::kExitOk;
  }
  if (args->version) {
    std::printf("aw-cli %s\n", AW_VERSION);
    return aw::cli::kExitOk;
  }
  auto options = aw::client::options_from_env();
  if (!options) {
    std::fprintf(stderr, "aw-cli: %s\n", options.status().message().c_str());
    return aw::cli::kExitUsage;
  }
  if (args->url) options->url = *args->url;
  return args->send ? aw::cli::run_send(*args, *options) : aw::cli::run_interactive(*args, *options);
}
