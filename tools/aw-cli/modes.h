// aw-cli's two ways of running: send (one message, non-interactive) and the interactive session (also used by -c).
// Thread-safety: called once from main().
#pragma once

#include "client/client_options.h"
#include "tools/aw-cli/cli_args.h"

namespace aw::cli {

// Sends args.text to args.world and prints the replies (frames as JSON lines with --json); returns an exit status
// of cli_args.h.
int run_send(const CliArgs& args, const client::ClientOptions& options);
// The interactive session, or the -c lines when given; returns an exit status of cli_args.h.
int run_interactive(const CliArgs& args, const client::ClientOptions& options);

}  // namespace aw::cli
