// Readers for the fields of an untrusted client frame (ws-protocol.md §2): the type rules shared by every frame
// decoder in client_frame.cpp. Internal to gateway/protocol/.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "gateway/core/gateway_core.h"
#include "gateway/protocol/client_frame.h"

namespace aw::gateway::protocol::fields {

// Characters (code points) of a valid UTF-8 string.
std::size_t code_points(std::string_view s);
// The first `max_chars` characters of a valid UTF-8 string.
std::string_view truncate_chars(std::string_view s, std::size_t max_chars);

inline std::string_view as_view(const json::Value& v) { return std::string_view(v.GetString(), v.GetStringLength()); }

// A field's state in a frame: absent (missing or null), a string, or some other type.
enum class Kind { Absent, String, Other };
Kind kind_of(const json::Value* v);

// The string of a field that is a non-empty string; nullopt otherwise ("" and null both mean "none").
std::optional<std::string> nonempty_string(const json::Value* v);

// requestId: absent or null -> empty; a string of at most kMaxRequestIdChars characters, or a number -> its JSON
// text. False for any other value.
bool read_request_id(const json::Value& root, RequestId& out);

// A last-seen seq of `subscribe` (§4.3): an integer >= 0 (42.0 included) or "beginning"; null or missing = absent.
struct SeqField {
  bool ok = true;  // false: a value of the wrong type or range
  bool present = false;
  bool beginning = false;
  Seq value = 0;
};
SeqField read_seq(const json::Value* v);

}  // namespace aw::gateway::protocol::fields
