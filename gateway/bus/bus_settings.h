// BusSettings: the gateway settings the dispatcher, leases and retries read (bus-protocol.md §12,
// ws-protocol.md §10), with their defaults.
// Thread-safety: plain values; from_env() at start-up only.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace aw::gateway::bus {

struct BusSettings {
  // WS_PROCESSOR_HEARTBEAT: the processors' heartbeat period; 5000 as the TypeScript server.
  std::int64_t heartbeat_ms = 5000;
  // AW_DISPATCH_TIMEOUT_MS: time for a pushed item to be accepted; one heartbeat period covers a busy processor.
  std::int64_t dispatch_timeout_ms = 5000;
  // AW_MAX_RUNNING: cap on dispatched plus processing items; 0 = unlimited (processors' slots are the limit).
  std::int64_t max_running = 0;
  // AW_RUN_TIMEOUT_MS: an attempt's maximum duration (sent as deadlineMs).
  std::int64_t run_timeout_ms = 600000;
  // AW_HISTORY_WINDOW: prompt history rows per agent.
  std::int64_t history_window = 10;
  // AW_QUEUE_RETRY_BASE_MS, AW_QUEUE_RETRY_MAX_MS, AW_QUEUE_MAX_RETRIES (ws-protocol.md §7.2).
  std::int64_t retry_base_ms = 2000;
  std::int64_t retry_max_ms = 60000;
  std::int64_t max_retries = 3;
  // AW_CHAT_TITLES: llm | derived | off (agent-runtime.md §10.2); AW_TITLE_TIMEOUT_MS: the title call's timeout
  // (sent as timeoutMs); the gateway waits that + kTitleGraceMs for the answer, then derives the title.
  std::string chat_titles = "llm";
  std::int64_t title_timeout_ms = 30000;

  // leaseMs = 3 x heartbeatMs: one lost heartbeat never costs a lease.
  std::int64_t lease_ms() const { return 3 * heartbeat_ms; }

  // Reads the variables above; an error names the bad one.
  static Result<BusSettings> from_env();
};

}  // namespace aw::gateway::bus
