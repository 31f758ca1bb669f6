// Handlers: the program's callbacks for what a Client receives (typed frames, reloads, connection changes).
// Thread-safety: every handler runs on the client's io thread, in frame arrival order (see client.h).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "client/client_options.h"
#include "client/server_frame.h"
#include "common/status.h"

namespace aw::client {

// A change of the connection, for on_connection.
struct ConnectionEvent {
  enum class Kind { kOpen, kClosed };
  Kind kind = Kind::kClosed;
  bool reconnected = false;  // kOpen: not the first open (subscriptions are being resubscribed)
  int close_code = 0;        // kClosed: the peer's close code; 1006 when the connection dropped without one
  std::string reason;        // kClosed: close reason or transport error
  bool by_client = false;    // kClosed: this client closed it (close() or the destructor)
  bool will_retry = false;   // kClosed: a reconnect is scheduled
  Millis retry_in{0};        // kClosed: its delay
  Status error;              // kClosed without retry: why the client gave up (unauthorized, token_expired,
                             // forbidden); ok for a normal end
};

using FrameHandler = std::function<void(const ServerFrame&)>;

// Every handler is optional; all run on the io thread.
struct Handlers {
  FrameHandler on_frame;    // every frame as received, before routing and de-duplication (e.g. for --json)
  FrameHandler on_message;  // event, eventType "message"
  FrameHandler on_sse;      // event, eventType "sse" (start, chunk, end, error)
  FrameHandler on_world;    // event, eventType "world" (activity)
  FrameHandler on_system;   // event, eventType "system"
  FrameHandler on_status;   // status frames that answer no request: lifecycle, replay-complete, server unsubscribes
  FrameHandler on_crud;     // crud frames
  FrameHandler on_error;    // error frames that answer no request
  // The gateway could not replay what this subscription missed (recovered:false after a reconnect, or a replay cut
  // short): reload state with commands.
  std::function<void(const std::string& world_id, const std::optional<std::string>& chat_id)> on_reload;
  std::function<void(const ConnectionEvent&)> on_connection;
};

}  // namespace aw::client
