// The fast path of decode_client_frame for the most common frame: a well-formed `command` (ws-protocol.md §4.6).
// One SAX pass over the text reads the envelope fields in place, with no Document and, when the command has no
// params, no allocation; a non-empty params object is then parsed on its own into a PooledDocument.
//
// It only ever returns a frame that the DOM decoder (client_frame.cpp) would return for the same text, field for
// field: it answers nullopt for anything it does not fully recognise (another type, a number requestId, any rule
// of §4.6 that fails, a syntax error, a text larger than kFastPathMaxBytes, ...), and the caller then runs the DOM
// decoder, which owns every error answer. client_frame_fuzz and the unit tests compare both paths.
// Internal to gateway/protocol/. Thread-safety: pure function (a per-thread parse buffer inside).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "gateway/protocol/client_frame.h"

namespace aw::gateway::protocol {

// Larger texts always take the DOM decoder (they are rare, and the per-thread buffer stays small).
inline constexpr std::size_t kFastPathMaxBytes = 4096;

// A decoded command frame, or nullopt: decode with the DOM decoder instead. `text` must be valid UTF-8.
std::optional<ClientFrame> decode_command_fast(std::string_view text);

}  // namespace aw::gateway::protocol
