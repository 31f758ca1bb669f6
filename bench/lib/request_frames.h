// The client frames the load modes send (ws-protocol.md §4.6) and how a reply is recognised.
// Replies are classified by substring, not parsed: the load tool must stay cheaper than the server it measures,
// and both aw-gateway (RapidJSON writer) and the echo server produce compact JSON with no spaces.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace aw::bench {

// {"type":"command","payload":{"command":"<command>"},"requestId":"<id>"}
std::string command_request(std::string_view command, std::string_view request_id);

// {"type":"command","payload":{"command":"create-world","params":{"name":"<name>"}},"requestId":"<id>"}
std::string create_world_request(std::string_view name, std::string_view request_id);

enum class ReplyKind {
  Unrelated,     // not about this request (a broadcast, or another request's reply)
  ErrorFrame,    // a {"type":"error"} frame; for a command the final answer follows as status "error"
  FailedAnswer,  // the final answer, and it is a failure (status "error")
  Answer,        // the final answer: status "success" from the gateway, or the echoed request from the echo server
};

// Classifies payload as a reply to request_id. An empty request_id matches any frame that carries a requestId
// (pipelined modes rely on per-connection order instead of ids).
ReplyKind classify_reply(std::string_view payload, std::string_view request_id);

}  // namespace aw::bench
