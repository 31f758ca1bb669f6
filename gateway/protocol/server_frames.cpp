// Server frame encoding (see server_frames.h). Field order follows the examples of ws-protocol.md.
#include "gateway/protocol/server_frames.h"

#include <charconv>
#include <cstdint>
#include <cstring>

#include "common/json.h"
#include "gateway/core/json_builder.h"

namespace aw::gateway::protocol {
namespace {

void add_request_id(JsonBuilder& b, const RequestId& request_id) {
  if (request_id.present()) b.raw_field("requestId", request_id.json);
}

void add_string_array(JsonBuilder& b, std::string_view key, const std::vector<std::string>& values) {
  b.key(key).begin_array();
  for (const std::string& v : values) b.value(v);
  b.end_array();
}

// Every server frame ends with the gateway's timestamp (epoch ms, §0).
std::string finish(JsonBuilder& b, EpochMs timestamp) {
  b.field("timestamp", timestamp).end_object();
  return b.take();
}

// True when `s` becomes a JSON string by quoting alone: printable ASCII without quote or backslash.
bool plain_json_text(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
}

char* put(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

char* put_quoted(char* p, std::string_view plain) {
  *p++ = '"';
  p = put(p, plain);
  *p++ = '"';
  return p;
}

}  // namespace

ErrorInfo error_info(const FrameError& error) {
  ErrorInfo info;
  info.code = error.code;
  info.text = error.text;
  info.request_id = error.request_id;
  info.command = error.command;
  info.world_id = error.world_id;
  info.chat_id = error.chat_id;
  info.message_id = error.message_id;
  return info;
}

std::string encode_pong(const RequestId& request_id, EpochMs timestamp) {
  JsonBuilder b;
  b.begin_object().field("type", "pong");
  add_request_id(b, request_id);
  return finish(b, timestamp);
}

std::string encode_error(const ErrorInfo& error, EpochMs timestamp) {
  JsonBuilder b;
  b.begin_object().field("type", "error").field("error", error.text).field("code", error.code);
  add_request_id(b, error.request_id);
  b.optional_field("command", error.command)
      .optional_field("worldId", error.world_id)
      .optional_field("chatId", error.chat_id)
      .optional_field("messageId", error.message_id)
      .optional_field("details", error.details);
  return finish(b, timestamp);
}

std::vector<std::string> encode_failure(const ErrorInfo& error, EpochMs timestamp) {
  std::vector<std::string> frames;
  frames.push_back(encode_error(error, timestamp));
  if (error.command) {
    JsonBuilder b;
    b.begin_object().field("type", "status").optional_field("worldId", error.world_id);
    add_request_id(b, error.request_id);
    b.key("payload")
        .begin_object()
        .field("status", "error")
        .field("command", *error.command)
        .field("message", error.text)
        .field("code", error.code)
        .end_object();
    frames.push_back(finish(b, timestamp));
  }
  return frames;
}

std::string encode_command_success(std::string_view command, std::string_view message, std::string_view data_json,
                                   const std::optional<std::string>& world_id, const RequestId& request_id,
                                   EpochMs timestamp) {
  // The answer to every command, so written in one pass into one allocation: the constant parts as literals, the
  // strings escaped in place, `data` copied once (a JsonBuilder would grow the string several times).
  constexpr std::string_view kHead = R"({"type":"status")";
  constexpr std::string_view kWorld = R"(,"worldId":)";
  constexpr std::string_view kRequest = R"(,"requestId":)";
  constexpr std::string_view kPayload = R"(,"payload":{"status":"success","command":)";
  constexpr std::string_view kMessage = R"(,"message":)";
  constexpr std::string_view kData = R"(,"data":)";
  constexpr std::string_view kTimestamp = R"(},"timestamp":)";
  constexpr std::size_t kNumberBytes = 24;  // an int64 in decimal, with its sign
  const std::string_view data = data_json.empty() ? std::string_view("null") : data_json;
  char number[kNumberBytes];
  const auto written = std::to_chars(number, number + sizeof number, static_cast<std::int64_t>(timestamp));
  const std::string_view stamp(number, static_cast<std::size_t>(written.ptr - number));

  // Usually nothing needs escaping: then every piece is copied into a string sized exactly, with no append calls.
  if (plain_json_text(command) && plain_json_text(message) && (!world_id || plain_json_text(*world_id))) {
    const std::size_t size = kHead.size() + (world_id ? kWorld.size() + world_id->size() + 2 : 0) +
                             (request_id.present() ? kRequest.size() + request_id.json.size() : 0) + kPayload.size() +
                             command.size() + 2 + kMessage.size() + message.size() + 2 + kData.size() + data.size() +
                             kTimestamp.size() + stamp.size() + 1;
    std::string out(size, '\0');
    char* p = out.data();
    p = put(p, kHead);
    if (world_id) p = put_quoted(put(p, kWorld), *world_id);
    if (request_id.present()) p = put(put(p, kRequest), request_id.json);
    p = put_quoted(put(p, kPayload), command);
    p = put_quoted(put(p, kMessage), message);
    p = put(put(p, kData), data);
    p = put(put(p, kTimestamp), stamp);
    *p = '}';
    return out;
  }

  // Escaping may grow a string; append_quoted reserves for that itself, so this is exact for plain text.
  std::string out;
  out.reserve(kHead.size() + kWorld.size() + kRequest.size() + kPayload.size() + kMessage.size() + kData.size() +
              kTimestamp.size() + kNumberBytes + 8 + (world_id ? world_id->size() : 0) + request_id.json.size() +
              command.size() + message.size() + data.size());
  out.append(kHead);
  if (world_id) {
    out.append(kWorld);
    json::append_quoted(out, *world_id);
  }
  if (request_id.present()) {
    out.append(kRequest);
    out.append(request_id.json);
  }
  out.append(kPayload);
  json::append_quoted(out, command);
  out.append(kMessage);
  json::append_quoted(out, message);
  out.append(kData);
  out.append(data);
  out.append(kTimestamp);
  out.append(stamp);
  out.push_back('}');
  return out;
}

std::string encode_subscribed(const SubscribedAck& ack, EpochMs timestamp) {
  JsonBuilder b;
  b.begin_object().field("type", "status").field("worldId", ack.world_id).optional_field("chatId", ack.chat_id);
  add_request_id(b, ack.request_id);
  b.key("payload")
      .begin_object()
      .field("status", "subscribed")
      .field("seq", ack.latest_seq)
      .optional_field("epoch", ack.epoch)
      .field("latestSeq", ack.latest_seq)
      .field("recovered", ack.recovered)
      .field("replayCount", static_cast<std::uint64_t>(ack.replay_count))
      .optional_field("warning", ack.warning)
      .end_object();
  return finish(b, timestamp);
}

std::string encode_replay_complete(const ReplayComplete& rc, EpochMs timestamp) {
  JsonBuilder b;
  b.begin_object().field("type", "status").field("worldId", rc.world_id).optional_field("chatId", rc.chat_id);
  add_request_id(b, rc.request_id);
  b.field("replayComplete", true)
      .key("payload")
      .begin_object()
      .field("status", "replay-complete")
      .field("seq", rc.seq)
      .field("latestSeq", rc.latest_seq)
      .field("replayed", static_cast<std::uint64_t>(rc.replayed))
      .field("replayComplete", true)
      .field("recovered", rc.recovered)
      .end_object();
  return finish(b, timestamp);
}

std::string encode_unsubscribed(const std::optional<std::string>& world_id, const std::optional<std::string>& chat_id,
                                const RequestId& request_id, std::size_t removed,
                                const std::optional<std::string>& reason, EpochMs timestamp) {
  JsonBuilder b;
  b.begin_object().field("type", "status").optional_field("worldId", world_id).optional_field("chatId", chat_id);
  add_request_id(b, request_id);
  b.key("payload")
      .begin_object()
      .field("status", "unsubscribed")
      .field("removed", static_cast<std::uint64_t>(removed))
      .optional_field("reason", reason)
      .end_object();
  return finish(b, timestamp);
}

std::string encode_queued(const QueuedAck& ack, EpochMs timestamp) {
  JsonBuilder b;
  b.begin_object()
      .field("type", "status")
      .field("worldId", ack.world_id)
      .field("messageId", ack.message_id)
      .optional_field("chatId", ack.chat_id);
  add_request_id(b, ack.request_id);
  b.key("payload").begin_object().field("status", "queued");
  if (ack.duplicate) {
    b.field("duplicate", true);
    if (!ack.state.empty()) b.field("state", ack.state);
  }
  b.optional_field("warning", ack.warning).end_object();
  return finish(b, timestamp);
}

std::string encode_authenticated(const Principal& principal, const RequestId& request_id, EpochMs timestamp) {
  JsonBuilder b;
  b.begin_object().field("type", "status");
  add_request_id(b, request_id);
  b.key("payload").begin_object().field("status", "authenticated");
  if (!principal.subject.empty()) b.field("subject", principal.subject);
  b.field("role", principal.role);
  add_string_array(b, "worlds", principal.worlds);
  if (principal.expires_at) b.field("expiresAt", iso8601_ms(*principal.expires_at));
  b.end_object();
  return finish(b, timestamp);
}

}  // namespace aw::gateway::protocol
