// libFuzzer target: the command layer along the path a WebSocket session uses. Each input is a sequence of client
// frames, one per line (at most kMaxFrames), fed to a GatewayService (the session layer without the socket; AW_AUTH
// off, so every frame reaches the core) over a GatewayCore on an in-memory SQLite database
// (AGENT_WORLD_STORAGE_TYPE=memory). The database is reset for every input (a new core), so a finding replays from
// its input alone. Properties besides crashes and sanitizer reports (each traps):
// - every frame the gateway sends is valid JSON;
// - no frame hits error `internal` (an unexpected exception or SQLite failure inside a handler).
// AW_FUZZ_TRACE=1 prints every frame in (`>`) and out (`<`) to stderr, to read a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "gateway/core/gateway_core.h"
#include "gateway/session/authenticator.h"
#include "gateway/session/gateway_service.h"
#include "gateway/session/transport.h"

namespace {

using namespace aw::gateway;

constexpr std::size_t kMaxFrames = 32;
const bool kTrace = std::getenv("AW_FUZZ_TRACE") != nullptr;

// Records nothing but checks every frame as it is sent; deferred tasks run after each inbound frame.
class CheckingTransport : public Transport {
 public:
  std::size_t buffered_bytes() const override { return 0; }
  bool send_text(const std::shared_ptr<const std::string>& frame) override {
    if (kTrace) std::fprintf(stderr, "< %s\n", frame->c_str());
    auto doc = aw::json::parse_trusted(*frame);
    if (!doc.is_ok()) __builtin_trap();
    if (aw::json::get_string(*doc, "type").value_or("") == "error" &&
        aw::json::get_string(*doc, "code").value_or("") == "internal") {
      __builtin_trap();
    }
    return !closed_;
  }
  void defer(std::function<void()> task) override { deferred_.push_back(std::move(task)); }
  void send_ping() override {}
  void close(int, const std::string&, long) override { closed_ = true; }

  void run_deferred() {
    while (!deferred_.empty()) {
      auto tasks = std::move(deferred_);
      deferred_.clear();
      for (auto& task : tasks) task();
    }
  }
  bool closed() const { return closed_; }

 private:
  std::vector<std::function<void()>> deferred_;
  bool closed_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!aw::json::is_valid_utf8(input)) return 0;  // websocketpp hands over valid UTF-8 only

  CoreOptions core_options;
  core_options.storage_type = "memory";
  auto core = GatewayCore::open(core_options, aw::Logger());
  if (!core.is_ok()) __builtin_trap();
  static const NoAuthAuthenticator authenticator;
  ServiceOptions options;
  options.session.rate_limit_rps = 0;  // the limiter is not under test; every frame should reach the core
  GatewayService service(**core, authenticator, options, aw::Logger());
  auto transport = std::make_shared<CheckingTransport>();
  const SteadyTime now = SteadyTime() + std::chrono::hours(1);
  const SessionId id = service.open_session(transport, now);

  std::size_t pos = 0;
  for (std::size_t n = 0; n < kMaxFrames && pos < input.size() && !transport->closed(); ++n) {
    std::size_t end = input.find('\n', pos);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view text = input.substr(pos, end - pos);
    if (kTrace) std::fprintf(stderr, "> %.*s\n", static_cast<int>(text.size()), text.data());
    service.on_text(id, text, now);
    transport->run_deferred();
    for (int turn = 0; turn < 1000 && service.has_pending_replays(); ++turn) {
      service.pump_replays();
      transport->run_deferred();
    }
    pos = end + 1;
  }
  service.on_closed(id, 1000);
  return 0;
}
