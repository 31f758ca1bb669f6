// Lifecycle status frames of the bus (ws-protocol.md §5.1): processing, completed and retrying; `failed` is
// gateway/core/status_frames.h's. Each comes with the (world, messageId) to deliver it to.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "common/time_util.h"
#include "gateway/core/gateway_core.h"

namespace aw::gateway::bus {

// {"type":"status","worldId","messageId","chatId","payload":{"status":"processing"|"completed","attempt"},
//  "timestamp"}
StatusBroadcast attempt_status(const std::string& status, const std::string& world_id, const std::string& message_id,
                               const std::string& chat_id, std::int64_t attempt, EpochMs now);

struct RetryingStatus {
  std::string world_id;
  std::string message_id;
  std::string chat_id;
  std::string error;
  std::string code;
  std::int64_t attempt = 0;  // the attempt that failed
  std::int64_t retry_in_ms = 0;
};

// {"type":"status",...,"payload":{"status":"retrying","error","code","attempt","nextAttempt","retryInMs",
//  "retryAt","superseded":true},"timestamp"}; retryAt is ISO-8601.
StatusBroadcast retrying_status(const RetryingStatus& status, EpochMs now);

}  // namespace aw::gateway::bus
