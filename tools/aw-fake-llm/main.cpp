// aw-fake-llm: a real HTTP/1.1 server on loopback that speaks the LLM streaming protocols the processor uses
// (OpenAI chat completions, Anthropic messages, Gemini generateContent), with replies and faults scripted by rules.
// For tests and demos; usage and the script format are in docs/fake-llm.md.
//
//   aw-fake-llm [--host 127.0.0.1] [--port 0] [--port-file F] [--script FILE] [--chunk-delay-ms N]
//               [--default-reply TEXT] [--max-body-bytes N] [--stall-limit-ms N]
//
// With --port 0 the OS picks the port; it is written to --port-file (atomically) before the `listening` log line.
// A bad script or an unusable address ends the process with status 2 and one error line. SIGINT or SIGTERM stops it
// with status 0.
// Thread-safety: one thread; everything runs on the server's io_context.
#include <csignal>
#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "common/log.h"
#include "tools/aw-fake-llm/fake_llm_service.h"
#include "tools/aw-fake-llm/http_request_parser.h"
#include "tools/aw-fake-llm/http_server.h"
#include "tools/aw-fake-llm/port_file.h"
#include "tools/aw-fake-llm/script.h"

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string port_file;
  std::string script;
  std::int64_t chunk_delay_ms = 0;
  std::optional<std::string> default_reply;
  std::size_t max_body_bytes = aw::fake_llm::kDefaultMaxBodyBytes;
  std::int64_t stall_limit_ms = 60000;
};

constexpr int kExitConfig = 2;

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"aw-fake-llm: a scripted LLM HTTP server (OpenAI, Anthropic, Gemini streaming) for tests and demos"};
  app.add_option("--host", options.host, "Numeric address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "TCP port; 0 lets the OS pick")->capture_default_str();
  app.add_option("--port-file", options.port_file, "Write the bound port and a newline to this file (atomically)");
  app.add_option("--script", options.script, "JSON file with the reply rules (docs/fake-llm.md)");
  app.add_option("--chunk-delay-ms", options.chunk_delay_ms, "Delay before each streamed text chunk")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{3600000}))
      ->capture_default_str();
  app.add_option("--default-reply", options.default_reply,
                 "Reply when no rule matches (default: \"Echo: <last user text>\")");
  app.add_option("--max-body-bytes", options.max_body_bytes, "Largest request body accepted (larger: 413)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30))
      ->capture_default_str();
  app.add_option("--stall-limit-ms", options.stall_limit_ms, "Longest a stalled response keeps its connection")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{3600000}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  // A client that disconnects mid-write must cost that connection, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  const auto sink = aw::LogSink::from_env();
  const aw::Logger log(sink, "fake.llm");

  aw::fake_llm::Script script;
  if (!options.script.empty()) {
    aw::Result<aw::fake_llm::Script> loaded = aw::fake_llm::load_script_file(options.script);
    if (!loaded) {
      log.error("cannot start: bad script", {{"error", loaded.status().message()}});
      return kExitConfig;
    }
    script = std::move(loaded).value();
  }
  const std::size_t rule_count = script.rules.size();

  aw::fake_llm::ServiceSettings service_settings;
  service_settings.defaults.default_reply = options.default_reply;
  service_settings.defaults.chunk_delay = std::chrono::milliseconds(options.chunk_delay_ms);
  aw::fake_llm::FakeLlmService service(std::move(script), service_settings, log.child("service"));

  aw::fake_llm::ServerSettings server_settings;
  server_settings.host = options.host;
  server_settings.port = options.port;
  server_settings.max_body_bytes = options.max_body_bytes;
  server_settings.stall_limit = std::chrono::milliseconds(options.stall_limit_ms);
  // The server installs its SIGINT/SIGTERM handlers when constructed, before the port is published: a test that
  // signals as soon as it reads the port file still gets a clean exit.
  aw::fake_llm::HttpServer server(
      server_settings, [&service](const aw::fake_llm::HttpRequest& request) { return service.handle(request); },
      log.child("http"));
  const aw::Result<std::uint16_t> port = server.listen();
  if (!port) {
    log.error("cannot start", {{"error", port.status().message()}});
    return kExitConfig;
  }
  if (!options.port_file.empty()) {
    if (const aw::Status written = aw::fake_llm::write_port_file(options.port_file, port.value()); !written) {
      log.error("cannot start", {{"error", written.message()}});
      return kExitConfig;
    }
  }
  log.info("listening", {{"host", options.host},
                         {"port", static_cast<int>(port.value())},
                         {"rules", static_cast<std::uint64_t>(rule_count)}});
  server.run();
  log.info("stopped");
  return 0;
}
