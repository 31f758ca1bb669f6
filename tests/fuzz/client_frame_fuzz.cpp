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

namespace {

using aw::gateway::protocol::ClientFrame;
using aw::gateway::protocol::CommandFrame;
using aw::gateway::protocol::DecodeResult;
using aw::gateway::protocol::FrameError;

// Field-for-field equality of two decode results (a command's params compared as serialised JSON).
bool same_answer(const DecodeResult& a, const DecodeResult& b) {
  if (a.index() != b.index()) return false;
  if (const auto* ea = std::get_if<FrameError>(&a)) {
    const auto& eb = std::get<FrameError>(b);
    return ea->code == eb.code && ea->text == eb.text && ea->request_id.json == eb.request_id.json &&
           ea->type == eb.type && ea->command == eb.command && ea->world_id == eb.world_id &&
           ea->chat_id == eb.chat_id && ea->message_id == eb.message_id;
  }
  const auto& fa = std::get<ClientFrame>(a);
  const auto& fb = std::get<ClientFrame>(b);
  if (fa.type != fb.type || fa.request_id.json != fb.request_id.json || fa.body.index() != fb.body.index()) {
    return false;
  }
  const auto* ca = std::get_if<CommandFrame>(&fa.body);
  if (ca == nullptr) return true;  // only command frames take the fast path
  const auto& cb = std::get<CommandFrame>(fb.body);
  return ca->command == cb.command && ca->raw_world_id == cb.raw_world_id &&
         ca->raw_params_world_id == cb.raw_params_world_id && ca->world_id == cb.world_id &&
         aw::json::to_string(*ca->params) == aw::json::to_string(*cb.params);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace aw::gateway::protocol;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!aw::json::is_valid_utf8(text)) return 0;
  DecodeResult decoded = decode_client_frame(text);
  // The command fast path must answer exactly what the DOM decoder answers (command_fast_path.h).
  if (same_answer(decoded, decode_client_frame_dom(text)) == false) __builtin_trap();
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
