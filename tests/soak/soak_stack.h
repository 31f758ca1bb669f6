// SoakStack: the processes under soak on 127.0.0.1 (aw-fake-llm with short replies and a small per-chunk delay,
// one aw-gateway, two aw-processor bus workers), an admin WebSocket client for set-up and the final checks, and
// the queries those checks need (/health, /metrics, queue-status, get-chat-messages).
// The gateway runs with its defaults except AW_MAX_FRAME_BYTES = kSoakMaxFrameBytes (the abusers' oversized
// frames stay cheap to send) and, from GatewayProcess, free loopback ports and a temporary data directory; the
// rate limit is set to its defaults explicitly.
// Thread-safety: one test thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "tests/integration/processor/fake_llm_process.h"
#include "tests/support/gateway_process.h"
#include "tests/support/processor_process.h"
#include "tests/support/ws_test_client.h"

namespace aw::test {

inline constexpr std::size_t kSoakMaxFrameBytes = 65536;
// The gateway's defaults, pinned: the abusers' floods are sized from the burst.
inline constexpr int kSoakRateLimitRps = 50;
inline constexpr int kSoakRateLimitBurst = 100;
inline constexpr int kSoakProcessors = 2;

// Counts of queue-status summed over every world.
struct QueueTotals {
  std::int64_t pending = 0;
  std::int64_t processing = 0;
  std::int64_t failed = 0;
};

// What one chat holds (get-chat-messages, every page).
struct StoredConversation {
  std::map<std::string, int> human_messages;  // messageId of a human message -> rows with that id
  std::map<std::string, int> replies;         // replyToMessageId of an agent message -> rows answering it
};

class SoakStack {
 public:
  // Starts the fake LLM, the gateway and the processors (each processor welcomed), and connects the admin client.
  static Result<std::unique_ptr<SoakStack>> start();
  SoakStack(const SoakStack&) = delete;
  SoakStack& operator=(const SoakStack&) = delete;

  GatewayProcess& gateway() { return *gateway_; }
  const std::vector<std::unique_ptr<ProcessorProcess>>& processors() const { return processors_; }

  // Creates `n` worlds, each with one agent "a1" on the fake LLM; returns world id -> current chat id.
  Result<std::map<std::string, std::string>> create_worlds(int n);
  // Waits until GET /health reports `n` open WebSocket connections (the admin client counts as one).
  bool wait_connections(int n, Millis timeout);
  // Waits until queue-status shows no pending and no processing item in any world.
  bool wait_queue_idle(Millis timeout);
  Result<QueueTotals> queue_totals();
  Result<StoredConversation> conversation(const std::string& world_id, const std::string& chat_id);
  // A sample of GET /metrics (labels as for metric_value); nullopt when absent or the request failed.
  std::optional<double> metric(const std::string& name, const std::map<std::string, std::string>& labels = {});

 private:
  SoakStack() = default;
  Status start_processes();

  std::unique_ptr<FakeLlmProcess> fake_llm_;
  std::unique_ptr<GatewayProcess> gateway_;
  std::vector<std::unique_ptr<ProcessorProcess>> processors_;
  std::unique_ptr<WsTestClient> admin_;
};

}  // namespace aw::test
