// Request/response helpers over WsTestClient for the client protocol (ws-protocol.md §4): each request gets a
// unique requestId, and the answer is collected by that id (the gateway echoes it on every direct response and
// error, §2), so frames of other kinds (crud, lifecycle statuses) stay queued for the test to inspect.
// Thread-safety: one test thread per client.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "tests/support/frame.h"
#include "tests/support/json_builder.h"
#include "tests/support/wait.h"
#include "tests/support/ws_test_client.h"

namespace aw::test {

// A requestId no other request of this test process uses.
std::string next_request_id();

// The answer to one `command` frame (§4.6): on failure an `error` frame, then a `status` frame with
// payload.status "error"; on success one `status` frame with payload.status "success".
struct CommandReply {
  std::optional<Frame> error;     // the error frame, when one arrived
  Frame status;                   // the final status frame
  bool error_came_first = false;  // the error frame arrived before the status frame
  std::string request_id;

  bool ok() const { return status.status() == "success"; }
  std::string code() const { return status.string_at("payload.code").value_or(""); }
  std::string message() const { return status.string_at("payload.message").value_or(""); }
  // payload.data.<path> ("" = payload.data itself).
  const json::Value* data(std::string_view path = "") const;
  std::optional<std::string> data_string(std::string_view path) const;
  std::optional<std::int64_t> data_int(std::string_view path) const;
  std::optional<std::size_t> data_array_size(std::string_view path = "") const;
};

// Sends `command` with `params` (and top-level worldId when given) and waits for its final status frame.
// Fails on a send error or when no final status arrives in time.
Result<CommandReply> run_command(WsTestClient& client, const std::string& command,
                                 const JsonObject& params = JsonObject(),
                                 const std::optional<std::string>& world_id = std::nullopt,
                                 Millis timeout = kDefaultTimeout);

// Collects the answer to a command frame already sent with `request_id` (for frames built by hand).
Result<CommandReply> await_command_reply(WsTestClient& client, const std::string& request_id,
                                         Millis timeout = kDefaultTimeout);

// Sends `frame` plus a fresh requestId and returns the first frame that echoes it.
Result<Frame> request(WsTestClient& client, JsonObject frame, Millis timeout = kDefaultTimeout);

// Sends raw text and returns the next frame of type "error" (other frames stay queued).
Result<Frame> send_expecting_error(WsTestClient& client, std::string_view text, Millis timeout = kDefaultTimeout);

// subscribe / unsubscribe with a requestId; `extra` adds fields (seq, fromSeq, epoch, ...). Returns the ack.
Result<Frame> subscribe(WsTestClient& client, const std::string& world_id,
                        const std::optional<std::string>& chat_id = std::nullopt, JsonObject extra = JsonObject());
Result<Frame> unsubscribe(WsTestClient& client, JsonObject fields);

// JSON ping round trip: true when a pong arrived in time. Useful as a barrier: per-connection order (§1) means every
// direct response to an earlier frame arrived before the pong.
bool ping_pong(WsTestClient& client, Millis timeout = kDefaultTimeout);

// create-world with {name} (plus `extra` params) and returns data.id; fails when the command did not succeed.
Result<std::string> create_world(WsTestClient& client, const std::string& name, JsonObject extra = JsonObject());

}  // namespace aw::test
