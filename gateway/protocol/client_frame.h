// Decoding of client frames (ws-protocol.md §2, §4): untrusted text in, a typed frame or a typed error out.
// Every field-type rule and error text of §2 and §4 lives here, so that no code past this point reads raw JSON
// except a command's `params`, which the core validates per command.
// World ids are canonicalised here (§0); the raw ids are kept because direct responses echo them as received.
// Thread-safety: pure functions over values; a ClientFrame belongs to its caller.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/json.h"
#include "common/pooled_document.h"
#include "gateway/core/gateway_core.h"

namespace aw::gateway::protocol {

// Longest accepted string requestId, in characters (code points).
inline constexpr std::size_t kMaxRequestIdChars = 128;
// Longest accepted messageId, in characters (code points).
inline constexpr std::size_t kMaxMessageIdChars = 128;

// The canonical form of an incoming world id (§0): kebab_case(raw), or `raw` itself when that is "" (such an id is
// looked up as-is and matches no world).
std::string canonical_world_id(std::string_view raw);

// A requestId ready to echo: its JSON text ("\"r1\"" or "42"), empty when the frame had none.
struct RequestId {
  std::string json;
  bool present() const { return !json.empty(); }
};

enum class FrameType { Ping, Auth, Subscribe, Unsubscribe, Message, Command };

std::string_view frame_type_name(FrameType type);

struct PingFrame {};

struct AuthFrame {
  std::optional<std::string> token;  // payload.token; never logged
};

struct SubscribeFrame {
  std::string raw_world_id;                // as received, echoed in the ack
  std::optional<std::string> raw_chat_id;  // as received ("" and null count as absent)
  SubscribeRequest request;                // canonical world, chat key, last seq (§4.3 rules applied), epoch
};

struct UnsubscribeFrame {
  enum class Scope { All, World, Key };
  Scope scope = Scope::All;
  std::optional<std::string> raw_world_id;  // echoed as received (including a "world:chat" key)
  std::optional<std::string> raw_chat_id;   // echoed as received
  std::string world_id;                     // canonical; empty for Scope::All
  std::optional<std::string> chat_id;       // for Scope::Key: nullopt = the world-wide key
};

struct MessageFrame {
  std::string raw_world_id;
  std::optional<std::string> raw_chat_id;
  EnqueueRequest request;         // canonical world, defaults applied
  bool priority_invalid = false;  // payload.priority present but not an integer: 0 used, with a warning
};

struct CommandFrame {
  std::string command;                             // a known command (see command_catalog.h)
  const json::Value* params = nullptr;             // an object; points into ClientFrame::document or a static {}
  std::optional<std::string> raw_world_id;         // top-level worldId as received
  std::optional<std::string> raw_params_world_id;  // params.worldId as received
  std::optional<std::string> world_id;             // the effective canonical world id (§3.2), nullopt when none
};

struct ClientFrame {
  FrameType type = FrameType::Ping;
  RequestId request_id;
  std::variant<PingFrame, AuthFrame, SubscribeFrame, UnsubscribeFrame, MessageFrame, CommandFrame> body;
  std::unique_ptr<json::PooledDocument> document;  // owns what CommandFrame::params points into
};

// A frame that could not be decoded: everything an `error` frame needs (§5.4), and for a command frame whose
// `payload.command` is a string, what the error pair of §4.6 needs.
struct FrameError {
  std::string code;  // bad_json | unknown_type | invalid_request | unknown_command
  std::string text;
  RequestId request_id;                   // echoed when the frame had a valid one
  std::optional<FrameType> type;          // when the type was recognised
  std::optional<std::string> command;     // set: answer with the error pair
  std::optional<std::string> world_id;    // raw, when known
  std::optional<std::string> chat_id;     // raw, when known
  std::optional<std::string> message_id;  // raw, when known
};

using DecodeResult = std::variant<ClientFrame, FrameError>;

// Decodes one client frame. Never throws (a wrong-type access inside is caught and reported as bad_json).
// A well-formed command frame takes a single-pass fast path (command_fast_path.h); everything else, and every
// error, is decoded through a Document.
DecodeResult decode_client_frame(std::string_view text);

// The same decoder without the fast path: the reference the unit tests and client_frame_fuzz compare it with.
DecodeResult decode_client_frame_dom(std::string_view text);

}  // namespace aw::gateway::protocol
