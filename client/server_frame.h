// ServerFrame: one frame received from the gateway (ws-protocol.md §5), parsed once, with the envelope fields the
// client library routes on copied out and the whole document kept for the callbacks that need the payload.
// Thread-safety: an immutable value after parse_server_frame(); safe to share between threads (const access only).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace aw::client {

struct ServerFrame {
  std::string type;                           // status, event, crud, error, pong
  std::string world_id;                       // "" when absent
  std::optional<std::string> chat_id;         // absent or null -> nullopt
  std::optional<std::int64_t> seq;            // on persisted events and crud only
  std::string event_type;                     // on event frames: message, sse, world, system
  std::string request_id;                     // "" when absent; a numeric requestId is rendered as its decimal text
  std::string status;                         // payload.status on status frames
  std::string message_id;                     // top-level messageId
  std::string run_id;                         // top-level runId
  std::string error;                          // error text on error frames
  std::string code;                           // error code on error frames (and payload.code on status:error)
  std::string command;                        // command name on error frames / payload.command on status frames
  bool historical = false;                    // a replayed frame
  std::string raw;                            // the text as received
  std::shared_ptr<const json::Document> doc;  // the parsed frame (an object)

  // The payload object, or an empty object when the frame has none. Valid while the frame lives.
  const json::Value& payload() const;
  // payload.<key> as a string / integer / bool; nullopt when absent or of another type.
  std::optional<std::string> payload_string(std::string_view key) const;
  std::optional<std::int64_t> payload_int(std::string_view key) const;
  std::optional<bool> payload_bool(std::string_view key) const;
  // True for an error frame, or a status frame with payload.status "error".
  bool is_error() const { return type == "error" || (type == "status" && status == "error"); }
};

// Parses a text frame. Fails with `bad_json` when it is not a JSON object with a string `type`.
Result<ServerFrame> parse_server_frame(std::string_view text);

}  // namespace aw::client
