// Encoding of the frames the WebSocket layer itself sends (ws-protocol.md §4, §5.1, §5.4): pong, error, the
// command success and error pair, and the subscribe / unsubscribe / queued / authenticated statuses.
// Every frame carries `timestamp` (epoch ms); a field without a value is left out. The output is always valid
// UTF-8 (strings go through json::append_quoted). Event, crud and lifecycle frames come encoded from the core.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/time_util.h"
#include "gateway/core/gateway_core.h"
#include "gateway/protocol/client_frame.h"

namespace aw::gateway::protocol {

// What an error frame says and which request fields it echoes (§5.4).
struct ErrorInfo {
  std::string code;
  std::string text;
  RequestId request_id;
  std::optional<std::string> command;
  std::optional<std::string> world_id;
  std::optional<std::string> chat_id;
  std::optional<std::string> message_id;
  std::optional<std::string> details;
};

// The ErrorInfo of a frame that failed to decode.
ErrorInfo error_info(const FrameError& error);

std::string encode_pong(const RequestId& request_id, EpochMs timestamp);

// {"type":"error","error":…,"code":…,…}
std::string encode_error(const ErrorInfo& error, EpochMs timestamp);

// The answer to a failed frame: one error frame, or for a command (error.command set) the pair of §4.6: the error
// frame, then {"type":"status","payload":{"status":"error","command","message","code"}}.
std::vector<std::string> encode_failure(const ErrorInfo& error, EpochMs timestamp);

// {"type":"status","worldId"?,"requestId"?,"payload":{"status":"success","command","message","data"}}.
// `data_json` is inserted verbatim (the core's serialised result).
std::string encode_command_success(std::string_view command, std::string_view message, std::string_view data_json,
                                   const std::optional<std::string>& world_id, const RequestId& request_id,
                                   EpochMs timestamp);

struct SubscribedAck {
  std::string world_id;                // as received
  std::optional<std::string> chat_id;  // as received; absent for a world-wide subscription
  RequestId request_id;
  Seq latest_seq = 0;
  std::optional<std::string> epoch;  // absent for an unknown world
  bool recovered = false;
  std::size_t replay_count = 0;
  std::optional<std::string> warning;
};
std::string encode_subscribed(const SubscribedAck& ack, EpochMs timestamp);

struct ReplayComplete {
  std::string world_id;  // as received
  std::optional<std::string> chat_id;
  RequestId request_id;
  Seq seq = 0;  // last replayed seq, or latest_seq when none was replayed
  Seq latest_seq = 0;
  std::size_t replayed = 0;
  bool recovered = false;
};
std::string encode_replay_complete(const ReplayComplete& rc, EpochMs timestamp);

// {"type":"status","worldId"?,"chatId"?,"requestId"?,"payload":{"status":"unsubscribed","removed","reason"?}}
std::string encode_unsubscribed(const std::optional<std::string>& world_id, const std::optional<std::string>& chat_id,
                                const RequestId& request_id, std::size_t removed,
                                const std::optional<std::string>& reason, EpochMs timestamp);

struct QueuedAck {
  std::string world_id;  // as received
  std::string message_id;
  std::optional<std::string> chat_id;  // as received
  RequestId request_id;
  bool duplicate = false;
  std::string state;  // with duplicate
  std::optional<std::string> warning;
};
std::string encode_queued(const QueuedAck& ack, EpochMs timestamp);

// {"type":"status","requestId"?,"payload":{"status":"authenticated","subject"?,"role","worlds","expiresAt"?}}
std::string encode_authenticated(const Principal& principal, const RequestId& request_id, EpochMs timestamp);

}  // namespace aw::gateway::protocol
