// aw-cli's interactive session: connect, pick a world, then read lines (with the line editor on a terminal, plain
// lines otherwise) and run them as slash commands or messages while the renderer shows the live frames.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>

#include "client/client.h"
#include "common/env.h"
#include "tools/aw-cli/console.h"
#include "tools/aw-cli/history.h"
#include "tools/aw-cli/line_editor.h"
#include "tools/aw-cli/modes.h"
#include "tools/aw-cli/reloader.h"
#include "tools/aw-cli/renderer.h"
#include "tools/aw-cli/session.h"

namespace aw::cli {
namespace {

client::Handlers make_handlers(const CliArgs& args, Console& console, Renderer& renderer, Reloader& reloader,
                               std::mutex& out_mutex, std::atomic<bool>& opened) {
  client::Handlers h;
  if (args.json) {
    h.on_frame = [&out_mutex](const client::ServerFrame& f) {
      std::lock_guard<std::mutex> lock(out_mutex);
      std::fwrite(f.raw.data(), 1, f.raw.size(), stdout);
      std::fputc('\n', stdout);
      std::fflush(stdout);
    };
  } else {
    h.on_message = [&renderer](const client::ServerFrame& f) { renderer.on_message(f); };
    h.on_sse = [&renderer](const client::ServerFrame& f) { renderer.on_sse(f); };
    h.on_world = [&renderer](const client::ServerFrame& f) { renderer.on_world(f); };
    h.on_system = [&renderer](const client::ServerFrame& f) { renderer.on_system(f); };
    h.on_status = [&renderer](const client::ServerFrame& f) { renderer.on_status(f); };
    h.on_crud = [&renderer](const client::ServerFrame& f) { renderer.on_crud(f); };
    h.on_error = [&renderer](const client::ServerFrame& f) { renderer.on_error(f); };
  }
  h.on_connection = [&console, &opened](const client::ConnectionEvent& e) {
    if (e.kind == client::ConnectionEvent::Kind::kOpen) opened = true;
    if (!opened) return;  // a failed first attempt is reported once, by start()
    if (e.kind == client::ConnectionEvent::Kind::kOpen && e.reconnected) {
      console.line(console.paint("* reconnected", Colour::kGreen));
    } else if (e.kind == client::ConnectionEvent::Kind::kClosed && !e.by_client) {
      std::string text = "* connection lost (" + std::to_string(e.close_code) + " " + e.reason + ")";
      text += e.will_retry ? ", reconnecting in " + std::to_string(e.retry_in.count()) + " ms" : "";
      console.line(console.paint(text, Colour::kYellow));
      if (!e.error.is_ok()) {
        // aw-cli has no token provider: a refused or expired token ends reconnecting.
        console.line(
            console.paint("! " + e.error.message() + " (" + e.error.code() + "): not reconnecting", Colour::kRed));
      }
    }
  };
  h.on_reload = [&reloader](const std::string& world, const std::optional<std::string>&) { reloader.reload(world); };
  return h;
}

}  // namespace

int run_interactive(const CliArgs& args, const client::ClientOptions& options) {
  const bool tty = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1;
  const bool color = isatty(STDOUT_FILENO) == 1 && !args.no_color && !args.json && std::getenv("NO_COLOR") == nullptr;
  // With --json stdout carries only frames; human text goes to stderr.
  Console console(color, tty && !args.json, args.json ? stderr : stdout);
  Renderer renderer(console);
  auto history = History::from_env();
  auto reload_messages =
      env_int("AW_CLI_RELOAD_MESSAGES", static_cast<std::int64_t>(Reloader::kDefaultMessages), 1, 500);
  if (!history || !reload_messages) {
    std::fprintf(stderr, "aw-cli: %s\n", (!history ? history.status() : reload_messages.status()).message().c_str());
    return kExitUsage;
  }
  Reloader reloader(console, renderer, static_cast<std::size_t>(*reload_messages));
  std::mutex out_mutex;
  std::atomic<bool> opened{false};
  auto client =
      std::make_unique<client::Client>(options, make_handlers(args, console, renderer, reloader, out_mutex, opened));
  reloader.set_client(client.get());
  if (Status s = client->start(options.open_timeout); !s) {
    std::fprintf(stderr, "aw-cli: cannot connect to %s: %s (%s)\n", options.url.c_str(), s.message().c_str(),
                 s.code().c_str());
    return kExitUsage;
  }
  Session session(*client, console, renderer, args.json);
  renderer.set_on_finished([](const std::string&, const std::string&) {});

  std::unique_ptr<LineEditor> editor;
  if (tty && !args.json && args.commands.empty()) {
    history->load();
    editor = std::make_unique<LineEditor>(console, STDIN_FILENO, *history);
  }
  bool history_warned = false;
  auto read_input = [&]() -> LineEditor::Input {
    if (editor) return editor->read_line();
    std::string line;
    if (!std::getline(std::cin, line)) return LineEditor::Input{LineEditor::Kind::kEof, ""};
    return LineEditor::Input{LineEditor::Kind::kLine, line};
  };

  if (!args.world.empty()) {
    if (Status s = session.select_world(args.world, args.chat); !s && !args.commands.empty()) return kExitFailed;
  } else if (args.commands.empty()) {
    Status s = session.pick_world([&]() -> std::optional<std::string> {
      auto in = read_input();
      if (in.kind != LineEditor::Kind::kLine) return std::nullopt;
      return in.line;
    });
    if (!s) return kExitOk;
  }

  if (!args.commands.empty()) {
    int status = kExitOk;
    for (const std::string& line : args.commands) {
      if (!session.run_line(line)) break;
      if (!session.last_status()) status = kExitFailed;
    }
    client->close();
    return status;
  }

  if (!args.json) console.line("Type /help for commands; Ctrl-C cancels the running message, Ctrl-D quits.");
  for (;;) {
    const std::string name = session.world().empty() ? "aw" : session.world();
    console.set_prompt(console.paint(name + "> ", Colour::kBold), name.size() + 2);
    auto in = read_input();
    if (in.kind == LineEditor::Kind::kEof) break;
    if (in.kind == LineEditor::Kind::kInterrupt) {
      if (!session.cancel_running()) console.line("(Ctrl-D or /quit to leave)");
      continue;
    }
    if (editor) {
      if (Status saved = editor->add_history(in.line); !saved && !history_warned) {
        history_warned = true;  // once: the history still works for this session
        console.line(console.paint("! history not saved: " + saved.message(), Colour::kYellow));
      }
    }
    if (!session.run_line(in.line)) break;
  }
  editor.reset();  // restore the terminal before the last lines
  client->close();
  return kExitOk;
}

}  // namespace aw::cli
