// Lifecycle and queue status frames the core produces (ws-protocol.md §5.1): `failed` (world deleted, cancelled
// while pending) and `queued` (retry-failed).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gateway/core/gateway_core.h"

namespace aw::gateway {

struct FailedStatus {
  std::string world_id;
  std::string message_id;
  std::optional<std::string> chat_id;  // the chat the run uses (or would have used)
  std::string error;
  std::string code;
  std::int64_t attempt = 0;
  bool cancelled = false;
  bool superseded = false;
};

// {"type":"status","worldId","messageId","chatId"?,"payload":{"status":"failed","error","code","attempt",
//  "willRetry":false,"cancelled"?:true,"superseded"?:true},"timestamp"}
StatusBroadcast failed_status(const FailedStatus& status, EpochMs now);

// {"type":"status","worldId","messageId","chatId"?,"payload":{"status":"queued","retried":true},"timestamp"}
StatusBroadcast retried_status(const std::string& world_id, const std::string& message_id,
                               const std::optional<std::string>& chat_id, EpochMs now);

}  // namespace aw::gateway
