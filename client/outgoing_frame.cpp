// OutgoingFrame serialisation and builders (see outgoing_frame.h).
#include "client/outgoing_frame.h"

#include "common/ids.h"
#include "common/json.h"
#include "common/time_util.h"

namespace aw::client {
namespace {

void add_string(std::string& out, const char* key, const std::string& value) {
  out += ",\"";
  out += key;
  out += "\":";
  json::append_quoted(out, value);
}

}  // namespace

std::string to_json(const OutgoingFrame& f, const std::string& request_id) {
  std::string out = "{\"type\":";
  json::append_quoted(out, f.type);
  if (f.world_id) add_string(out, "worldId", *f.world_id);
  if (f.chat_id) add_string(out, "chatId", *f.chat_id);
  if (f.message_id) add_string(out, "messageId", *f.message_id);
  if (f.from_seq) out += ",\"fromSeq\":" + std::to_string(*f.from_seq);
  if (f.epoch) add_string(out, "epoch", *f.epoch);
  if (!request_id.empty()) add_string(out, "requestId", request_id);
  if (!f.payload_json.empty()) out += ",\"payload\":" + f.payload_json;
  out += "}";
  return out;
}

OutgoingFrame make_command(const std::string& world_id, const std::string& command, const std::string& params_json) {
  OutgoingFrame f;
  f.type = "command";
  if (!world_id.empty()) f.world_id = world_id;
  f.payload_json = "{\"command\":";
  json::append_quoted(f.payload_json, command);
  f.payload_json += ",\"params\":" + (params_json.empty() ? std::string("{}") : params_json) + "}";
  return f;
}

OutgoingFrame make_message(const std::string& world_id, const std::optional<std::string>& chat_id,
                           const std::string& message_id, const std::string& content, const std::string& sender) {
  OutgoingFrame f;
  f.type = "message";
  f.world_id = world_id;
  f.chat_id = chat_id;
  f.message_id = message_id;
  f.payload_json = "{\"content\":";
  json::append_quoted(f.payload_json, content);
  f.payload_json += ",\"sender\":";
  json::append_quoted(f.payload_json, sender);
  f.payload_json += "}";
  return f;
}

OutgoingFrame make_subscribe(const std::string& world_id, const std::optional<std::string>& chat_id) {
  OutgoingFrame f;
  f.type = "subscribe";
  f.world_id = world_id;
  f.chat_id = chat_id;
  return f;
}

OutgoingFrame make_unsubscribe(const std::string& world_id, const std::optional<std::string>& chat_id) {
  OutgoingFrame f;
  f.type = "unsubscribe";
  f.world_id = world_id;
  f.chat_id = chat_id;
  return f;
}

OutgoingFrame make_auth(const std::string& token) {
  OutgoingFrame f;
  f.type = "auth";
  f.payload_json = "{\"token\":";
  json::append_quoted(f.payload_json, token);
  f.payload_json += "}";
  return f;
}

std::string new_client_message_id() { return "msg-" + std::to_string(now_ms()) + "-" + random_base36(9); }

}  // namespace aw::client
