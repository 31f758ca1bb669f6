// Client frame decoding (see client_frame.h). The texts are the protocol's (ws-protocol.md §2, §4, §9).
#include "gateway/protocol/client_frame.h"

#include <exception>

#include "common/ids.h"
#include "gateway/protocol/command_catalog.h"
#include "gateway/protocol/command_fast_path.h"
#include "gateway/protocol/frame_fields.h"

namespace aw::gateway::protocol {
namespace {

using fields::as_view;
using fields::Kind;
using fields::kind_of;
using fields::nonempty_string;

// Longest `type` value echoed in "Unknown message type: <type>", in characters: the text is for humans, and an
// attacker-sized echo buys nothing.
constexpr std::size_t kMaxEchoedTypeChars = 128;

FrameError make_error(std::string code, std::string text) {
  FrameError e;
  e.code = std::move(code);
  e.text = std::move(text);
  return e;
}

FrameError invalid(FrameType type, const RequestId& request_id, std::string text) {
  FrameError e = make_error("invalid_request", std::move(text));
  e.type = type;
  e.request_id = request_id;
  return e;
}

DecodeResult decode_subscribe(const json::Value& root, const RequestId& rid) {
  const auto fail = [&]() {
    FrameError e = invalid(FrameType::Subscribe, rid, "Invalid subscribe request");
    if (auto w = json::get_string(root, "worldId")) e.world_id = *w;
    return e;
  };
  const json::Value* world = json::find(root, "worldId");
  const json::Value* chat = json::find(root, "chatId");
  const json::Value* epoch = json::find(root, "epoch");
  if (kind_of(world) != Kind::String || world->GetStringLength() == 0) return fail();
  if (kind_of(chat) == Kind::Other || kind_of(epoch) == Kind::Other) return fail();
  fields::SeqField seq = fields::read_seq(json::find(root, "seq"));
  fields::SeqField from_seq = fields::read_seq(json::find(root, "fromSeq"));
  if (!seq.ok || !from_seq.ok) return fail();

  SubscribeFrame f;
  f.raw_world_id = std::string(as_view(*world));
  f.raw_chat_id = nonempty_string(chat);
  f.request.world_id = canonical_world_id(f.raw_world_id);
  f.request.chat_id = f.raw_chat_id;
  if (kind_of(epoch) == Kind::String) f.request.epoch = std::string(as_view(*epoch));
  // `seq` wins when both are present; numeric 0 without an epoch means "no replay" (compat), "beginning" is S = 0.
  const fields::SeqField& s = seq.present ? seq : from_seq;
  if (s.present && (s.beginning || s.value > 0 || f.request.epoch)) f.request.last_seq = s.value;
  ClientFrame frame;
  frame.type = FrameType::Subscribe;
  frame.request_id = rid;
  frame.body = std::move(f);
  return frame;
}

DecodeResult decode_unsubscribe(const json::Value& root, const RequestId& rid) {
  const json::Value* world = json::find(root, "worldId");
  const json::Value* chat = json::find(root, "chatId");
  if (kind_of(world) == Kind::Other || kind_of(chat) == Kind::Other) {
    FrameError e = invalid(FrameType::Unsubscribe, rid, "Invalid unsubscribe request");
    if (kind_of(world) == Kind::String) e.world_id = std::string(as_view(*world));
    return e;
  }
  UnsubscribeFrame f;
  if (kind_of(world) == Kind::String) f.raw_world_id = std::string(as_view(*world));
  if (kind_of(chat) == Kind::String) f.raw_chat_id = std::string(as_view(*chat));
  if (f.raw_world_id) {
    std::string_view w = *f.raw_world_id;
    // The TypeScript client's disconnect sends its key "<world>:<chat or *>" as worldId (§4.4).
    const auto colon = w.find(':');
    if (colon != std::string_view::npos) {
      const std::string_view c = w.substr(colon + 1);
      f.world_id = canonical_world_id(w.substr(0, colon));
      if (c == "*") {
        f.scope = UnsubscribeFrame::Scope::World;
      } else {
        f.scope = UnsubscribeFrame::Scope::Key;
        if (!c.empty()) f.chat_id = std::string(c);
      }
    } else {
      f.world_id = canonical_world_id(w);
      if (chat == nullptr) {
        f.scope = UnsubscribeFrame::Scope::World;
      } else {
        // chatId present: that key; an explicit null (or "") names the world-wide key.
        f.scope = UnsubscribeFrame::Scope::Key;
        f.chat_id = nonempty_string(chat);
      }
    }
  }
  ClientFrame frame;
  frame.type = FrameType::Unsubscribe;
  frame.request_id = rid;
  frame.body = std::move(f);
  return frame;
}

DecodeResult decode_message(const json::Value& root, const RequestId& rid) {
  const json::Value* world = json::find(root, "worldId");
  const json::Value* message_id = json::find(root, "messageId");
  const json::Value* chat = json::find(root, "chatId");
  const json::Value* payload = json::find(root, "payload");
  const json::Value* content = payload != nullptr && payload->IsObject() ? json::find(*payload, "content") : nullptr;
  const json::Value* sender = payload != nullptr && payload->IsObject() ? json::find(*payload, "sender") : nullptr;
  const bool bad = kind_of(world) != Kind::String || world->GetStringLength() == 0 ||
                   kind_of(message_id) != Kind::String || message_id->GetStringLength() == 0 ||
                   fields::code_points(as_view(*message_id)) > kMaxMessageIdChars || kind_of(chat) == Kind::Other ||
                   (payload != nullptr && !payload->IsNull() && !payload->IsObject()) ||
                   (content != nullptr && !content->IsString()) || (sender != nullptr && !sender->IsString());
  if (bad) {
    FrameError e = invalid(FrameType::Message, rid, "Invalid message request");
    if (kind_of(world) == Kind::String) e.world_id = std::string(as_view(*world));
    if (kind_of(message_id) == Kind::String) e.message_id = std::string(as_view(*message_id));
    if (kind_of(chat) == Kind::String) e.chat_id = std::string(as_view(*chat));
    return e;
  }
  MessageFrame f;
  f.raw_world_id = std::string(as_view(*world));
  f.raw_chat_id = nonempty_string(chat);
  f.request.world_id = canonical_world_id(f.raw_world_id);
  f.request.message_id = std::string(as_view(*message_id));
  f.request.chat_id = f.raw_chat_id;
  if (content != nullptr) f.request.content = std::string(as_view(*content));
  if (sender != nullptr && sender->GetStringLength() > 0) f.request.sender = std::string(as_view(*sender));
  const json::Value* priority = payload != nullptr && payload->IsObject() ? json::find(*payload, "priority") : nullptr;
  if (priority != nullptr) {
    if (priority->IsInt64()) {
      f.request.priority = priority->GetInt64();
    } else {
      f.priority_invalid = true;
    }
  }
  ClientFrame frame;
  frame.type = FrameType::Message;
  frame.request_id = rid;
  frame.body = std::move(f);
  return frame;
}

const json::Value& empty_object() {
  static const json::Value kEmpty(rapidjson::kObjectType);
  return kEmpty;
}

DecodeResult decode_command(const json::Value& root, const RequestId& rid, const std::string& command,
                            std::unique_ptr<json::PooledDocument> document) {
  const CommandSpec* spec = find_command(command);
  const json::Value* world = json::find(root, "worldId");
  const auto fail = [&](std::string code, std::string text) {
    FrameError e = make_error(std::move(code), std::move(text));
    e.type = FrameType::Command;
    e.request_id = rid;
    e.command = command;
    if (kind_of(world) == Kind::String) e.world_id = std::string(as_view(*world));
    return e;
  };
  if (spec == nullptr) return fail("unknown_command", "Unknown command: " + command);
  if (kind_of(world) == Kind::Other) return fail("invalid_request", "Invalid command request");

  const json::Value* payload = json::find(root, "payload");
  const json::Value* params = json::find(*payload, "params");
  if (params == nullptr || params->IsNull()) {
    params = &empty_object();
  } else if (!params->IsObject()) {
    return fail("invalid_request", "Invalid params for " + command);
  }
  const json::Value* params_world = json::find(*params, "worldId");
  if (kind_of(params_world) == Kind::Other) return fail("invalid_request", "Invalid params for " + command);

  CommandFrame f;
  f.command = command;
  f.params = params;
  // An empty worldId counts as none: "worldId required" is about a usable id (the compat server tested `!worldId`).
  f.raw_world_id = nonempty_string(world);
  f.raw_params_world_id = nonempty_string(params_world);
  if (f.raw_world_id) f.world_id = canonical_world_id(*f.raw_world_id);
  if (f.raw_params_world_id) {
    std::string from_params = canonical_world_id(*f.raw_params_world_id);
    if (f.world_id && *f.world_id != from_params) {
      return fail("invalid_request", "worldId and params.worldId differ");
    }
    f.world_id = std::move(from_params);
  }
  if (spec->world == WorldRule::Required && !f.world_id) {
    return fail("invalid_request", "worldId required for " + command);
  }
  ClientFrame frame;
  frame.type = FrameType::Command;
  frame.request_id = rid;
  frame.body = std::move(f);
  frame.document = std::move(document);
  return frame;
}

DecodeResult decode(std::string_view text) {
  auto document = std::make_unique<json::PooledDocument>();
  const Status parsed = json::parse_untrusted_into(*document, text);
  if (!parsed.is_ok() || !document->document().IsObject()) return make_error("bad_json", "Invalid message format");
  const json::Value& root = document->document();

  // requestId is read first: the error for a missing or unknown type echoes it too (§2).
  RequestId rid;
  const bool rid_ok = fields::read_request_id(root, rid);
  const json::Value* type_value = json::find(root, "type");
  if (type_value == nullptr) {
    FrameError e = make_error("unknown_type", "Unknown message type: undefined");
    if (rid_ok) e.request_id = rid;
    return e;
  }
  // The type is compared in place; text is made only for the error that echoes an unknown one.
  std::optional<FrameType> type;
  if (type_value->IsString()) {
    const std::string_view type_text = as_view(*type_value);
    if (type_text == "command")
      type = FrameType::Command;
    else if (type_text == "ping")
      type = FrameType::Ping;
    else if (type_text == "auth")
      type = FrameType::Auth;
    else if (type_text == "subscribe")
      type = FrameType::Subscribe;
    else if (type_text == "unsubscribe")
      type = FrameType::Unsubscribe;
    else if (type_text == "message")
      type = FrameType::Message;
  }
  if (!type) {
    const std::string type_text =
        type_value->IsString() ? std::string(as_view(*type_value)) : json::to_string(*type_value).value_or("undefined");
    FrameError e = make_error(
        "unknown_type", "Unknown message type: " + std::string(fields::truncate_chars(type_text, kMaxEchoedTypeChars)));
    if (rid_ok) e.request_id = rid;
    return e;
  }

  // A command frame whose payload.command is a string is answered with the error pair (§4.6), whatever fails next.
  std::optional<std::string> command;
  if (*type == FrameType::Command) {
    const json::Value* payload = json::find(root, "payload");
    if (payload != nullptr && payload->IsObject()) {
      if (auto name = json::get_string(*payload, "command"); name && !name->empty()) command = std::move(*name);
    }
  }
  if (!rid_ok) {
    std::string text_for_type;
    switch (*type) {
      case FrameType::Subscribe:
        text_for_type = "Invalid subscribe request";
        break;
      case FrameType::Unsubscribe:
        text_for_type = "Invalid unsubscribe request";
        break;
      case FrameType::Message:
        text_for_type = "Invalid message request";
        break;
      case FrameType::Command:
        text_for_type = command ? "Invalid command request" : "No command specified";
        break;
      case FrameType::Ping:
        text_for_type = "Invalid ping request";
        break;
      case FrameType::Auth:
        text_for_type = "Invalid auth request";
        break;
    }
    FrameError e = make_error("invalid_request", std::move(text_for_type));
    e.type = type;
    e.command = command;
    return e;
  }

  switch (*type) {
    case FrameType::Ping: {
      ClientFrame frame;
      frame.type = FrameType::Ping;
      frame.request_id = rid;
      frame.body = PingFrame{};
      return frame;
    }
    case FrameType::Auth: {
      const json::Value* payload = json::find(root, "payload");
      const json::Value* token = payload != nullptr && payload->IsObject() ? json::find(*payload, "token") : nullptr;
      if ((payload != nullptr && !payload->IsNull() && !payload->IsObject()) || kind_of(token) == Kind::Other) {
        return invalid(FrameType::Auth, rid, "Invalid auth request");
      }
      AuthFrame f;
      if (kind_of(token) == Kind::String) f.token = std::string(as_view(*token));
      ClientFrame frame;
      frame.type = FrameType::Auth;
      frame.request_id = rid;
      frame.body = std::move(f);
      return frame;
    }
    case FrameType::Subscribe:
      return decode_subscribe(root, rid);
    case FrameType::Unsubscribe:
      return decode_unsubscribe(root, rid);
    case FrameType::Message:
      return decode_message(root, rid);
    case FrameType::Command:
      if (!command) {
        FrameError e = invalid(FrameType::Command, rid, "No command specified");
        if (auto w = json::get_string(root, "worldId")) e.world_id = *w;
        return e;
      }
      return decode_command(root, rid, *command, std::move(document));
  }
  return make_error("bad_json", "Invalid message format");
}

}  // namespace

std::string canonical_world_id(std::string_view raw) {
  std::string id = kebab_case(raw);
  if (id.empty()) return std::string(raw);
  return id;
}

std::string_view frame_type_name(FrameType type) {
  switch (type) {
    case FrameType::Ping:
      return "ping";
    case FrameType::Auth:
      return "auth";
    case FrameType::Subscribe:
      return "subscribe";
    case FrameType::Unsubscribe:
      return "unsubscribe";
    case FrameType::Message:
      return "message";
    case FrameType::Command:
      return "command";
  }
  return "unknown";
}

DecodeResult decode_client_frame(std::string_view text) {
  try {
    if (json::is_valid_utf8(text)) {
      if (std::optional<ClientFrame> fast = decode_command_fast(text)) return std::move(*fast);
    }
  } catch (const std::exception&) {
    // Only allocation can throw on the fast path; the DOM decoder below answers for the text.
  }
  return decode_client_frame_dom(text);
}

DecodeResult decode_client_frame_dom(std::string_view text) {
  try {
    return decode(text);
  } catch (const std::exception&) {
    // Only RapidJSON's throwing assert can land here (a wrong-type access we failed to guard): the input is what
    // provoked it, so it is reported as bad input, not as a gateway fault.
    return make_error("bad_json", "Invalid message format");
  }
}

}  // namespace aw::gateway::protocol
