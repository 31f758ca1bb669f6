// parse_server_frame and the ServerFrame accessors (see server_frame.h).
#include "client/server_frame.h"

#include <utility>

namespace aw::client {
namespace {

const json::Value& empty_object() {
  static const json::Value kEmpty(rapidjson::kObjectType);
  return kEmpty;
}

std::string request_id_text(const json::Value& frame) {
  const json::Value* id = json::find(frame, "requestId");
  if (id == nullptr) return "";
  if (id->IsString()) return std::string(id->GetString(), id->GetStringLength());
  if (id->IsInt64()) return std::to_string(id->GetInt64());
  return "";
}

}  // namespace

const json::Value& ServerFrame::payload() const {
  if (!doc) return empty_object();
  const json::Value* p = json::find(*doc, "payload");
  return p != nullptr && p->IsObject() ? *p : empty_object();
}

std::optional<std::string> ServerFrame::payload_string(std::string_view key) const {
  return json::get_string(payload(), key);
}
std::optional<std::int64_t> ServerFrame::payload_int(std::string_view key) const {
  return json::get_int(payload(), key);
}
std::optional<bool> ServerFrame::payload_bool(std::string_view key) const { return json::get_bool(payload(), key); }

Result<ServerFrame> parse_server_frame(std::string_view text) {
  // The gateway is trusted to be well-formed, but a proxy or a bug must not crash the client: parse as untrusted.
  auto parsed = json::parse_untrusted(text);
  if (!parsed) return parsed.status();
  auto doc = std::make_shared<json::Document>(std::move(parsed).value());
  if (!doc->IsObject()) return Status::error("bad_json", "frame is not a JSON object");
  ServerFrame f;
  auto type = json::get_string(*doc, "type");
  if (!type) return Status::error("bad_json", "frame has no string type");
  f.type = std::move(*type);
  f.world_id = json::get_string(*doc, "worldId").value_or("");
  f.chat_id = json::get_string(*doc, "chatId");
  f.seq = json::get_int(*doc, "seq");
  f.event_type = json::get_string(*doc, "eventType").value_or("");
  f.request_id = request_id_text(*doc);
  f.message_id = json::get_string(*doc, "messageId").value_or("");
  f.run_id = json::get_string(*doc, "runId").value_or("");
  f.error = json::get_string(*doc, "error").value_or("");
  f.code = json::get_string(*doc, "code").value_or("");
  f.command = json::get_string(*doc, "command").value_or("");
  f.historical = json::get_bool(*doc, "historical").value_or(false);
  f.raw = std::string(text);
  f.doc = std::move(doc);
  const json::Value& p = f.payload();
  if (f.type == "status") {
    f.status = json::get_string(p, "status").value_or("");
    if (f.command.empty()) f.command = json::get_string(p, "command").value_or("");
    if (f.status == "error") {
      if (f.code.empty()) f.code = json::get_string(p, "code").value_or("");
      if (f.error.empty()) f.error = json::get_string(p, "message").value_or("");
    }
  }
  return f;
}

}  // namespace aw::client
