// Assertions shared by the integration suites: the shapes that ws-protocol.md fixes for every answer (the command
// error pair of §4.6, error frames of §5.4, subscribe acks of §4.3, crud frames of §5.3), written once so that each
// case states only what it is about.
// Readers for assertion messages: str_of / int_of / bool_of turn an absent field into a visible marker, so that
// BOOST_TEST prints what was received instead of failing to compile on std::optional.
// Thread-safety: the test thread only.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "tests/integration/gateway_fixture.h"

namespace aw::test {

inline constexpr std::int64_t kAbsentInt = std::numeric_limits<std::int64_t>::min();

inline std::string str_of(const Frame& f, std::string_view path) { return f.string_at(path).value_or("<absent>"); }
inline std::int64_t int_of(const Frame& f, std::string_view path) { return f.int_at(path).value_or(kAbsentInt); }
// 1 true, 0 false, -1 absent or not a boolean.
inline int bool_of(const Frame& f, std::string_view path) {
  auto b = f.bool_at(path);
  return b ? (*b ? 1 : 0) : -1;
}

// Runs a command and requires a `success` status (whose payload.command names it); returns the reply.
CommandReply require_success(WsTestClient& client, const std::string& command, const JsonObject& params = JsonObject(),
                             const std::optional<std::string>& world_id = std::nullopt);

// Runs a command and checks the failure pair of §4.6: an `error` frame with `error` == text, `code`, the
// requestId and `command`, then a `status` frame with payload {status:"error", command, message: text, code}.
CommandReply require_failure(WsTestClient& client, const std::string& command, const JsonObject& params,
                             const std::optional<std::string>& world_id, const std::string& code,
                             const std::string& text);

// Checks a collected failure reply as require_failure() does.
void check_failure_reply(const CommandReply& reply, const std::string& command, const std::string& code,
                         const std::string& text);

// Checks an `error` frame (§5.4): type, `error` text, `code`, an integer timestamp.
void check_error_frame(const Frame& frame, const std::string& code, const std::string& text);

// Subscribes and requires a `subscribed` ack echoing the world id; returns the ack.
Frame require_subscribed(WsTestClient& client, const std::string& world_id,
                         const std::optional<std::string>& chat_id = std::nullopt, JsonObject extra = JsonObject());

// Waits for the next `crud` frame of `world_id` (other frames stay queued) and requires it.
Frame require_crud(WsTestClient& client, const std::string& world_id, Millis timeout = kDefaultTimeout);

// The current chat id of a world (get-world data.currentChatId).
std::string current_chat_id(WsTestClient& client, const std::string& world_id);

// Sends a `message` frame for world_id/message_id with content (plus `extra` fields) and requires `queued`.
Frame require_queued(WsTestClient& client, const std::string& world_id, const std::string& message_id,
                     const std::string& content = "hello", JsonObject extra = JsonObject());

}  // namespace aw::test
