// libFuzzer target: the client frame decoder and validator (ws-protocol.md §2, §4) and the error answer built from a
// refusal, on any input the gateway can receive (websocketpp hands over valid UTF-8 only, so other input is
// skipped). Crashes, sanitizer reports and leaks are findings; every finding becomes a unit test.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "common/json.h"
#include "gateway/protocol/client_frame.h"
#include "gateway/protocol/server_frames.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace aw::gateway::protocol;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!aw::json::is_valid_utf8(text)) return 0;
  DecodeResult decoded = decode_client_frame(text);
  if (const auto* error = std::get_if<FrameError>(&decoded)) {
    // The answer must be encodable whatever the input echoed back (requestId, worldId, ...).
    for (const std::string& frame : encode_failure(error_info(*error), 0)) {
      if (!aw::json::parse_trusted(frame).is_ok()) __builtin_trap();
    }
  } else {
    const ClientFrame& frame = std::get<ClientFrame>(decoded);
    (void)frame_type_name(frame.type);
  }
  return 0;
}
