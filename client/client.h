// Client: a connection to an Agent World gateway over its WebSocket protocol (ws-protocol.md), for programs and
// tools. It connects (with a token on the upgrade or in a first `auth` frame when one is configured), reconnects
// after a retryable close with exponential backoff and jitter (no attempt limit, capped delay; close_policy.h says
// which closes end it: a refused or expired token stops it with `unauthorized` / `token_expired` unless a token
// provider supplies a new token), resubscribes every subscription from its last seq and epoch, and tells the
// program to reload state when the gateway answers `recovered:false`. With a token provider it also sends a fresh
// token on the live connection before the current one expires (`auth` refresh, §3.2).
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
#include "client/handlers.h"
#include "client/outgoing_frame.h"
#include "client/request_table.h"
#include "client/server_frame.h"
#include "common/status.h"

namespace aw::client {

class Client {
 public:
  Client(ClientOptions options, Handlers handlers);
  // close(), then joins the io thread.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Starts connecting and waits up to `wait` for the first open (with AuthDelivery::kFrame: until the gateway
  // answered the `auth` frame). Fails with the reason of the last attempt (`connect_failed`, `unauthorized` for a
  // refused token, `token_expired`, `forbidden` for HTTP 403, `token_unavailable` when the provider failed,
  // `timeout`). After a failure the client keeps retrying in
  // the background when options.auto_reconnect is set and the failure was retryable. Requires: called once.
  Status start(Millis wait);
  // Stops reconnecting, fails every request in flight with `closed`, closes the connection with 1000 and ends the
  // io thread. Idempotent. Requires: not called from a handler.
  void close();
  // True while the connection is open and authenticated (requests can be sent).
  bool is_connected() const;
  // Why the client stopped reconnecting for good (unauthorized, token_expired, forbidden); ok otherwise.
  Status last_error() const;
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

  // Sends `token` in an `auth` frame on the live connection (token refresh, ws-protocol.md §3.2): resolves with the
  // `authenticated` status (new claims; subscriptions no longer allowed are removed by the gateway), fails with
  // `unauthorized` when the gateway refuses it (the gateway then closes with 4001). On success later reconnects
  // use this token (a token provider, when set, still has the last word).
  std::future<Result<ServerFrame>> authenticate(const std::string& token);

  // Number of requests in flight (for tests: nothing may leak after timeouts).
  std::size_t pending_requests() const;

 private:
  struct Impl;
  // Counts the request as pending and posts `send` to the io thread, or fails it with `closed` after close().
  void post_counted(RequestCallback callback, std::function<void(Impl&, RequestCallback)> send);

  std::unique_ptr<Impl> impl_;
};

}  // namespace aw::client
