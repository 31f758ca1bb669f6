// aw-cli's command line (hand-written: a handful of options).
//   aw-cli [OPTIONS] [WORLD [CHAT]]          interactive (or one-shot with -c)
//   aw-cli [OPTIONS] send WORLD TEXT          send one message, print the replies, exit 0 on completed, 1 on failed
// Options: --url URL (else AW_URL), --json (every frame as a JSON line), --no-color, --chat CHAT (send),
//          --timeout-ms N (send; else AW_CLI_SEND_TIMEOUT_MS, default 600000 = the gateway's run timeout),
//          -c "/command args" (repeatable: run these lines, then exit), -h/--help, --version.
// Thread-safety: plain values and pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace aw::cli {

// Exit statuses of aw-cli (documented in docs/client.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;   // the message failed, or a -c command failed
inline constexpr int kExitUsage = 2;    // bad arguments, bad settings, or no connection to the gateway
inline constexpr int kExitTimeout = 3;  // send: no terminal status before the timeout

struct CliArgs {
  std::optional<std::string> url;
  bool json = false;
  bool no_color = false;
  bool help = false;
  bool version = false;
  bool send = false;
  std::string world;
  std::optional<std::string> chat;
  std::string text;  // send
  std::optional<std::chrono::milliseconds> timeout;
  std::vector<std::string> commands;  // -c
};

Result<CliArgs> parse_args(int argc, char** argv);
const char* usage_text();

}  // namespace aw::cli
