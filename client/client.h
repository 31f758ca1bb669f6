// Client: a connection to an Agent World gateway over its WebSocket protocol (ws-protocol.md), for programs and
// tools. It connects (with a bearer token when one is configured), reconnects after a retryable close with
// exponential backoff and jitter (no attempt limit, capped delay; terminal closes 1000 from the server, 1007, 4001
// and a refused upgrade with HTTP 401/403 end it), resubscribes every subscription from its last seq and epoch,
// and tells the program to reload state when the gateway answers `recovered:false`.
//
// Requests carry a requestId and complete on the matching answer, fail at once on the matching error frame (code
// and text from the gateway), fail with `timeout` after options.request_timeout as the last resort, and with
// `disconnected` when the connection drops first. Unmatched frames go to typed handlers; seq-bearing frames are
// de-duplicated per world by seq.
//
// Threading model: one io thread, owned by the Client, runs the socket, the timers and every handler and request
// callback, in frame arrival order. All public member functions may be called from any thread (they post to the io
// thread). A handler or callback must not block on a future of this client (the io thread would wait for itself);
// it may call the asynchronous functions. Handlers are fixed at construction.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "client/client_options.h"
#include "client/outgoing_frame.h"
#include "client/request_table.h"
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

class Client {
 public:
  Client(ClientOptions options, Handlers handlers);
  // close(), then joins the io thread.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Starts connecting and waits up to `wait` for the first open. Fails with the reason of the last attempt
  // (`connect_failed`, `unauthorized` for HTTP 401/403, `timeout`). After a failure the client keeps retrying in
  // the background when options.auto_reconnect is set and the failure was retryable. Requires: called once.
  Status start(Millis wait);
  // Stops reconnecting, fails every request in flight with `closed`, closes the connection with 1000 and ends the
  // io thread. Idempotent. Requires: not called from a handler.
  void close();
  bool is_connected() const;
  // The URL used by the next connection attempt (e.g. a gateway restarted on another port).
  void set_url(const std::string& url);

  // Sends the frame with a fresh requestId; `callback` runs once, on the io thread, with the answer or the error.
  void request_async(OutgoingFrame frame, RequestCallback callback);
  // The same, as a future. Never wait on it from a handler.
  std::future<Result<ServerFrame>> request(OutgoingFrame frame);

  // Convenience wrappers over request(). subscribe() also records the subscription for resubscribes (removed again
  // when the gateway refuses it); unsubscribe() forgets it (chat nullopt = every subscription of the world).
  std::future<Result<ServerFrame>> subscribe(const std::string& world_id, const std::optional<std::string>& chat_id);
  std::future<Result<ServerFrame>> unsubscribe(const std::string& world_id, const std::optional<std::string>& chat_id);
  std::future<Result<ServerFrame>> command(const std::string& world_id, const std::string& name,
                                           const std::string& params_json = "{}");
  void command_async(const std::string& world_id, const std::string& name, const std::string& params_json,
                     RequestCallback callback);
  std::future<Result<ServerFrame>> send_message(const std::string& world_id, const std::optional<std::string>& chat_id,
                                                const std::string& message_id, const std::string& content,
                                                const std::string& sender = "human");

  // Number of requests in flight (for tests: nothing may leak after timeouts).
  std::size_t pending_requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aw::client
