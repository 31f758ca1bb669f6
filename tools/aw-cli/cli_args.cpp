// parse_args (see cli_args.h).
#include "tools/aw-cli/cli_args.h"

#include <cstdlib>

namespace aw::cli {

const char* usage_text() {
  return "usage: aw-cli [--url URL] [--json] [--no-color] [-c \"/command\"]... [WORLD [CHAT]]\n"
         "       aw-cli [--url URL] [--json] [--chat CHAT] [--timeout-ms N] send WORLD TEXT\n"
         "Environment: AW_URL (default ws://127.0.0.1:3001), AW_TOKEN, AW_CLI_SEND_TIMEOUT_MS, AW_CLIENT_*.\n"
         "Interactive: /help lists the commands; Ctrl-C cancels the running message, Ctrl-D quits.\n";
}

Result<CliArgs> parse_args(int argc, char** argv) {
  CliArgs a;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name) -> Result<std::string> {
      if (i + 1 >= argc) return Status::invalid_request(std::string(name) + " needs a value");
      return std::string(argv[++i]);
    };
    if (arg == "--url") {
      auto v = value("--url");
      if (!v) return v.status();
      a.url = *v;
    } else if (arg == "--chat") {
      auto v = value("--chat");
      if (!v) return v.status();
      a.chat = *v;
    } else if (arg == "--timeout-ms") {
      auto v = value("--timeout-ms");
      if (!v) return v.status();
      char* end = nullptr;
      const long long ms = std::strtoll(v->c_str(), &end, 10);
      if (end == v->c_str() || *end != '\0' || ms <= 0) {
        return Status::invalid_request("--timeout-ms must be a positive integer");
      }
      a.timeout = std::chrono::milliseconds(ms);
    } else if (arg == "-c") {
      auto v = value("-c");
      if (!v) return v.status();
      a.commands.push_back(*v);
    } else if (arg == "--json") {
      a.json = true;
    } else if (arg == "--no-color") {
      a.no_color = true;
    } else if (arg == "-h" || arg == "--help") {
      a.help = true;
    } else if (arg == "--version") {
      a.version = true;
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
      return Status::invalid_request("unknown option " + arg);
    } else {
      positional.push_back(arg);
    }
  }
  if (!positional.empty() && positional[0] == "send") {
    if (positional.size() != 3) return Status::invalid_request("send needs WORLD and TEXT");
    a.send = true;
    a.world = positional[1];
    a.text = positional[2];
    return a;
  }
  if (positional.size() > 2) return Status::invalid_request("too many arguments");
  if (!positional.empty()) a.world = positional[0];
  if (positional.size() == 2) a.chat = positional[1];
  return a;
}

}  // namespace aw::cli
