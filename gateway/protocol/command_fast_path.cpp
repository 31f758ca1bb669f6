// The command frame fast path (see command_fast_path.h). Every `return false` / `return std::nullopt` below hands
// the text to the DOM decoder; the rules it mirrors are decode() and decode_command() in client_frame.cpp.
#include "gateway/protocol/command_fast_path.h"

#include <memory>
#include <string>

#include "common/json.h"
#include "common/json_sax.h"
#include "common/pooled_document.h"
#include "gateway/protocol/command_catalog.h"
#include "gateway/protocol/frame_fields.h"

namespace aw::gateway::protocol {
namespace {

using rapidjson::SizeType;

// Reads the envelope of `{"type":"command","requestId":...,"worldId":...,"payload":{"command":...,"params":{...}}}`
// (members in any order, unknown members skipped, the first of duplicated members used, as json::find does).
class EnvelopeScan {
 public:
  void attach(json::SaxStream& stream) { stream_ = &stream; }

  bool Null() { return scalar(Scalar::Null, nullptr, 0); }
  bool Bool(bool) { return scalar(Scalar::Other, nullptr, 0); }
  bool Int(int) { return scalar(Scalar::Other, nullptr, 0); }
  bool Uint(unsigned) { return scalar(Scalar::Other, nullptr, 0); }
  bool Int64(std::int64_t) { return scalar(Scalar::Other, nullptr, 0); }
  bool Uint64(std::uint64_t) { return scalar(Scalar::Other, nullptr, 0); }
  bool Double(double) { return scalar(Scalar::Other, nullptr, 0); }
  bool RawNumber(const char*, SizeType, bool) { return scalar(Scalar::Other, nullptr, 0); }
  bool String(const char* s, SizeType n, bool) { return scalar(Scalar::String, s, n); }

  bool Key(const char* s, SizeType n, bool) {
    const std::string_view key(s, n);
    slot_ = Slot::Skip;
    if (depth_ == 1) {
      if (key == "type") slot_ = claim(seen_type_, Slot::Type);
      if (key == "requestId") slot_ = claim(seen_request_id_, Slot::RequestId);
      if (key == "worldId") slot_ = claim(seen_world_, Slot::WorldId);
      if (key == "payload") slot_ = claim(seen_payload_, Slot::Payload);
    } else if (depth_ == 2 && in_payload_) {
      if (key == "command") slot_ = claim(seen_command_, Slot::Command);
      if (key == "params") slot_ = claim(seen_params_, Slot::Params);
    }
    return true;
  }

  bool StartObject() {
    if (depth_ == 0) return enter();  // the root
    if (at_member_value()) {
      const Slot slot = take_slot();
      if (slot == Slot::Payload) {
        in_payload_ = true;
        payload_object_ = true;
      } else if (slot == Slot::Params) {
        in_params_ = true;
        params_begin_ = stream_->Tell();
      } else if (slot != Slot::Skip) {
        return false;  // type, requestId, worldId or command that is an object
      }
    }
    return enter();
  }
  bool EndObject(SizeType members) {
    if (depth_ == 2 && in_payload_) in_payload_ = false;
    if (depth_ == 3 && in_params_) {
      in_params_ = false;
      params_end_ = stream_->Tell() + 1;  // the brace itself is not consumed yet
      params_members_ = members;
    }
    --depth_;
    return true;
  }
  bool StartArray() {
    if (depth_ == 0) return false;  // the root must be an object
    if (at_member_value() && take_slot() != Slot::Skip) return false;
    return enter();
  }
  bool EndArray(SizeType) {
    --depth_;
    return true;
  }

  bool type_is_command() const { return type_is_command_; }
  bool payload_is_object() const { return payload_object_; }
  const std::string& command() const { return command_; }
  const RequestId& request_id() const { return request_id_; }
  const std::optional<std::string>& world_id() const { return world_id_; }
  // The params object's text, empty when params was absent, null or `{}`.
  std::string_view params_text(std::string_view text) const {
    if (params_members_ == 0 || params_end_ <= params_begin_ || params_end_ > text.size()) return {};
    return text.substr(params_begin_, params_end_ - params_begin_);
  }

 private:
  enum class Slot { Skip, Type, RequestId, WorldId, Payload, Command, Params };
  enum class Scalar { Null, String, Other };

  // The slot of a member seen for the first time; later members of the same name are skipped.
  static Slot claim(bool& seen, Slot slot) {
    if (seen) return Slot::Skip;
    seen = true;
    return slot;
  }
  bool at_member_value() const { return depth_ == 1 || (depth_ == 2 && in_payload_); }
  Slot take_slot() {
    const Slot s = slot_;
    slot_ = Slot::Skip;
    return s;
  }
  bool enter() { return ++depth_ <= json::kDefaultMaxDepth; }

  bool scalar(Scalar kind, const char* s, SizeType n) {
    if (depth_ == 0) return false;  // a scalar root is not a frame
    if (!at_member_value()) return true;
    const std::string_view text = kind == Scalar::String ? std::string_view(s, n) : std::string_view();
    switch (take_slot()) {
      case Slot::Skip:
        return true;
      case Slot::Type:
        type_is_command_ = kind == Scalar::String && text == "command";
        return type_is_command_;
      case Slot::RequestId:
        if (kind == Scalar::Null) return true;
        if (kind != Scalar::String || fields::code_points(text) > kMaxRequestIdChars) return false;
        json::append_quoted(request_id_.json, text);
        return true;
      case Slot::WorldId:
        if (kind == Scalar::Null) return true;
        if (kind != Scalar::String) return false;
        if (!text.empty()) world_id_ = std::string(text);  // "" counts as none (nonempty_string)
        return true;
      case Slot::Payload:
        return false;  // a payload that is not an object
      case Slot::Command:
        if (kind != Scalar::String || text.empty()) return false;
        command_.assign(text.data(), text.size());
        return true;
      case Slot::Params:
        return kind == Scalar::Null;  // null = no params; anything else but an object is refused
    }
    return false;
  }

  json::SaxStream* stream_ = nullptr;  // Tell() is not const on this stream
  int depth_ = 0;
  Slot slot_ = Slot::Skip;
  bool seen_type_ = false, seen_request_id_ = false, seen_world_ = false, seen_payload_ = false;
  bool seen_command_ = false, seen_params_ = false;
  bool in_payload_ = false, payload_object_ = false, in_params_ = false;
  bool type_is_command_ = false;
  std::string command_;
  RequestId request_id_;
  std::optional<std::string> world_id_;
  std::size_t params_begin_ = 0, params_end_ = 0;
  SizeType params_members_ = 0;
};

const json::Value& empty_params() {
  static const json::Value kEmpty(rapidjson::kObjectType);
  return kEmpty;
}

}  // namespace

std::optional<ClientFrame> decode_command_fast(std::string_view text) {
  if (text.size() > kFastPathMaxBytes) return std::nullopt;
  EnvelopeScan scan;
  if (!json::parse_valid_utf8_sax(text, scan)) return std::nullopt;
  if (!scan.type_is_command() || !scan.payload_is_object() || scan.command().empty()) return std::nullopt;
  const CommandSpec* spec = find_command(scan.command());
  if (spec == nullptr) return std::nullopt;

  std::unique_ptr<json::PooledDocument> document;
  const json::Value* params = &empty_params();
  if (const std::string_view params_text = scan.params_text(text); !params_text.empty()) {
    document = std::make_unique<json::PooledDocument>();
    if (!json::parse_untrusted_into(*document, params_text).is_ok() || !document->document().IsObject()) {
      return std::nullopt;
    }
    params = &document->document();
  }
  const json::Value* params_world = json::find(*params, "worldId");
  if (fields::kind_of(params_world) == fields::Kind::Other) return std::nullopt;

  CommandFrame f;
  f.command = scan.command();
  f.params = params;
  f.raw_world_id = scan.world_id();
  f.raw_params_world_id = fields::nonempty_string(params_world);
  if (f.raw_world_id) f.world_id = canonical_world_id(*f.raw_world_id);
  if (f.raw_params_world_id) {
    std::string from_params = canonical_world_id(*f.raw_params_world_id);
    if (f.world_id && *f.world_id != from_params) return std::nullopt;
    f.world_id = std::move(from_params);
  }
  if (spec->world == WorldRule::Required && !f.world_id) return std::nullopt;

  ClientFrame frame;
  frame.type = FrameType::Command;
  frame.request_id = scan.request_id();
  frame.body = std::move(f);
  frame.document = std::move(document);
  return frame;
}

}  // namespace aw::gateway::protocol
