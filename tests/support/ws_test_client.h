// WsTestClient: a synchronous WebSocket client for integration tests, over websocketpp's asio_client on its own io
// thread. Received messages are queued as Frames; a test waits for the next frame, for the first frame matching a
// predicate (frames that do not match stay queued, in order, for later reads), or for the close and its code.
// Control pings are answered by default; `answer_pings = false` makes a client that never answers them (and that
// sends nothing unless told to), for heartbeat-timeout tests. websocketpp stays in the .cpp (heavy header).
// Thread-safety: the public members are called from one test thread; the io thread only fills the queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "tests/support/frame.h"
#include "tests/support/wait.h"

namespace aw::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

// How a connection ended, as seen by the client.
struct CloseInfo {
  int remote_code = 0;        // code of the peer's close frame; 1006 when the TCP connection dropped without one
  std::string remote_reason;  // reason of the peer's close frame
  int local_code = 0;         // code this client sent (or 1006 when it never sent one)
  std::string error;          // transport error text, "" when the close was clean
};

class WsTestClient {
 public:
  struct Options {
    bool answer_pings = true;                     // false: control pings get no pong
    std::uint64_t max_message_bytes = 64u << 20;  // inbound limit of this client
    Millis open_timeout = kDefaultTimeout;        // opening handshake
  };

  WsTestClient();
  explicit WsTestClient(Options options);
  // Closes the connection (1000) if still open, then stops the io thread.
  ~WsTestClient();
  WsTestClient(const WsTestClient&) = delete;
  WsTestClient& operator=(const WsTestClient&) = delete;

  // Opens a connection to `url` (ws://host:port/path) with extra request headers (e.g. Origin). Fails when the
  // upgrade is refused (then refused_http_status() holds the HTTP status, when the server sent one) or times out.
  // Requires: called once per client.
  Status connect(const std::string& url, const Headers& headers = {});
  // The HTTP status of a refused upgrade; 0 when none was received.
  int refused_http_status() const;

  Status send_text(std::string_view text);
  Status send_binary(std::string_view bytes);
  // Writes one complete, correctly masked frame with `opcode` and `payload` straight onto the socket, bypassing
  // websocketpp's checks (which refuse invalid UTF-8 in text frames). Requires: no other send in flight.
  Status send_raw_frame(std::uint8_t opcode, std::string_view payload);
  // Sends a control ping / a close frame.
  Status send_ping(std::string_view payload = "");
  Status close(int code = 1000, std::string_view reason = "");

  // The first queued frame, waiting up to `timeout`; nullopt on timeout or when the connection closed and nothing
  // is queued.
  std::optional<Frame> next_frame(Millis timeout = kDefaultTimeout);
  // The first frame (queued or arriving) for which `predicate` holds; non-matching frames stay queued in order.
  std::optional<Frame> wait_for(const std::function<bool(const Frame&)>& predicate, Millis timeout = kDefaultTimeout);
  // Waits until the connection has closed; nullopt on timeout.
  std::optional<CloseInfo> wait_closed(Millis timeout = kDefaultTimeout);
  // Every frame queued right now, removed from the queue.
  std::vector<Frame> take_queued();

  bool is_open() const;
  std::uint64_t pings_received() const;
  std::uint64_t pongs_received() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Predicates for wait_for().
std::function<bool(const Frame&)> has_type(std::string type);
std::function<bool(const Frame&)> has_status(std::string status);  // type "status" with payload.status
std::function<bool(const Frame&)> has_request_id(std::string request_id);

}  // namespace aw::test
