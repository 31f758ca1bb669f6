// The bus codec: typed messages (bus_messages.h) to multipart frames `[topic, json]` and back
// (bus-protocol.md §1, §2). The JSON shapes are described by proto/bus/*.schema.json; decode() enforces them.
//
// decode() is the edge for untrusted bus input: it parses with the safe RapidJSON flags, checks `v`, `kind`, the
// topic that kind travels on and every field the receiver relies on, and returns a typed message. Unknown fields are
// ignored and absent optional fields stay unset (§1: new fields within one `v` are optional). A failure is a Status
// whose code is the drop reason of `agentworld_bus_dropped_total`: "version" (a `v` other than kProtocolVersion) or
// "invalid" (anything else), with a message naming the field.
//
// encode() never fails: strings are escaped with json::append_quoted (invalid UTF-8 becomes U+FFFD) and verbatim
// payloads are those a decode() or the caller produced as JSON object text.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/bus/bus_messages.h"
#include "common/status.h"

namespace aw::bus {

// One multipart bus frame.
struct Frame {
  std::string topic;
  std::string body;
};

// Drop reasons (Status codes of decode()).
inline constexpr const char* kDropInvalid = "invalid";
inline constexpr const char* kDropVersion = "version";

// Decodes and validates one frame. The topic must be the one the body's kind travels on (e.g. `evt.<worldId>` for
// an event of that world).
Result<BusMessage> decode(std::string_view topic, std::string_view body);

Frame encode(const Hello& m);
Frame encode(const Welcome& m);
Frame encode(const Heartbeat& m);
Frame encode(const Work& m);
Frame encode(const Accept& m);
Frame encode(const Reject& m);
Frame encode(const Grant& m);
Frame encode(const Deny& m);
Frame encode(const Event& m);
Frame encode(const Commit& m);
Frame encode(const CommitAck& m);
Frame encode(const Cancel& m);
Frame encode(const Title& m);
Frame encode(const TitleResult& m);
Frame encode(const BusMessage& m);

}  // namespace aw::bus
