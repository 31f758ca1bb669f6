// aw-cli send: subscribe to the world, queue one message, print the replies until its terminal status.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <mutex>

#include "client/client.h"
#include "common/env.h"
#include "tools/aw-cli/console.h"
#include "tools/aw-cli/modes.h"
#include "tools/aw-cli/renderer.h"

namespace aw::cli {

int run_send(const CliArgs& args, const client::ClientOptions& options) {
  auto timeout_ms = env_int("AW_CLI_SEND_TIMEOUT_MS", 600000, 1, 86400000);
  if (!timeout_ms) {
    std::fprintf(stderr, "aw-cli: %s\n", timeout_ms.status().message().c_str());
    return kExitUsage;
  }
  const auto timeout = args.timeout.value_or(std::chrono::milliseconds(*timeout_ms));
  // Replies go to stdout; with --json the frames do, and human notices go to stderr.
  Console console(false, false, args.json ? stderr : stdout);
  Renderer renderer(console);
  renderer.set_view(args.world, args.chat);
  const std::string message_id = client::new_client_message_id();
  renderer.track_sent(message_id);  // its own echo is not printed
  std::promise<std::string> finished;
  std::once_flag finished_once;
  auto finish = [&](const std::string& outcome) {
    std::call_once(finished_once, [&] { finished.set_value(outcome); });
  };
  std::mutex out_mutex;

  client::Handlers h;
  if (args.json) {
    h.on_frame = [&](const client::ServerFrame& f) {
      std::lock_guard<std::mutex> lock(out_mutex);
      std::fwrite(f.raw.data(), 1, f.raw.size(), stdout);
      std::fputc('\n', stdout);
      std::fflush(stdout);
    };
  } else {
    h.on_message = [&](const client::ServerFrame& f) { renderer.on_message(f); };
    h.on_sse = [&](const client::ServerFrame& f) { renderer.on_sse(f); };
    h.on_system = [&](const client::ServerFrame& f) { renderer.on_system(f); };
    h.on_error = [&](const client::ServerFrame& f) { renderer.on_error(f); };
  }
  h.on_status = [&](const client::ServerFrame& f) {
    if (f.message_id != message_id) return;
    if (f.status == "failed") {
      if (!args.json) console.line("[failed] " + f.payload_string("error").value_or(""));
      finish("failed");
    } else if (f.status == "completed") {
      finish("completed");
    } else if (f.status == "retrying" && !args.json) {
      console.line("[retrying] " + f.payload_string("error").value_or(""));
    }
  };
  std::atomic<bool> opened{false};  // a failed first attempt is reported once, by start()
  h.on_connection = [&](const client::ConnectionEvent& e) {
    if (e.kind == client::ConnectionEvent::Kind::kOpen) opened = true;
    if (e.kind == client::ConnectionEvent::Kind::kClosed && e.will_retry && opened) {
      std::fprintf(stderr, "aw-cli: connection lost (%d %s), reconnecting in %lld ms\n", e.close_code, e.reason.c_str(),
                   static_cast<long long>(e.retry_in.count()));
    }
  };

  client::Client client(options, std::move(h));
  if (Status s = client.start(options.open_timeout); !s) {
    std::fprintf(stderr, "aw-cli: cannot connect to %s: %s (%s)\n", options.url.c_str(), s.message().c_str(),
                 s.code().c_str());
    return kExitUsage;
  }
  auto sub = client.subscribe(args.world, std::nullopt).get();
  if (!sub) {
    std::fprintf(stderr, "aw-cli: subscribe failed: %s\n", sub.status().message().c_str());
    return kExitFailed;
  }
  auto queued = client.send_message(args.world, args.chat, message_id, args.text).get();
  if (!queued) {
    std::fprintf(stderr, "aw-cli: message refused: %s (%s)\n", queued.status().message().c_str(),
                 queued.status().code().c_str());
    return kExitFailed;
  }
  auto outcome = finished.get_future();
  if (outcome.wait_for(timeout) != std::future_status::ready) {
    std::fprintf(stderr, "aw-cli: no answer for message %s within %lld ms\n", message_id.c_str(),
                 static_cast<long long>(timeout.count()));
    return kExitTimeout;
  }
  const std::string result = outcome.get();
  client.close();
  return result == "completed" ? kExitOk : kExitFailed;
}

}  // namespace aw::cli
