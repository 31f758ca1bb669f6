// OutgoingFrame: a client → gateway frame (ws-protocol.md §4) and its serialisation. The client library adds the
// requestId; everything else is the caller's.
// Thread-safety: plain values and a pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace aw::client {

struct OutgoingFrame {
  std::string type;  // subscribe, unsubscribe, message, command, ping, auth
  std::optional<std::string> world_id;
  std::optional<std::string> chat_id;  // left out when nullopt (never sent as null)
  std::optional<std::string> message_id;
  std::optional<std::int64_t> from_seq;
  std::optional<std::string> epoch;
  std::string payload_json;  // a JSON object's text; "" = no payload
};

// The frame as JSON text with `requestId` set to request_id (left out when empty).
std::string to_json(const OutgoingFrame& frame, const std::string& request_id);

// Frame builders for the common requests. params_json / the content are JSON-quoted here where needed.
OutgoingFrame make_command(const std::string& world_id, const std::string& command, const std::string& params_json);
OutgoingFrame make_message(const std::string& world_id, const std::optional<std::string>& chat_id,
                           const std::string& message_id, const std::string& content, const std::string& sender);
OutgoingFrame make_subscribe(const std::string& world_id, const std::optional<std::string>& chat_id);
OutgoingFrame make_unsubscribe(const std::string& world_id, const std::optional<std::string>& chat_id);
// {"type":"auth","payload":{"token":…}} (ws-protocol.md §3.2): first frame, or a token refresh on a live connection.
OutgoingFrame make_auth(const std::string& token);

// A fresh client message id: msg-<epoch ms>-<9 random base36 chars>, the TypeScript client's shape.
std::string new_client_message_id();

}  // namespace aw::client
