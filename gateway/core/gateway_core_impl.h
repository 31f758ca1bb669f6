// GatewayCoreImpl: the SQLite-backed implementation of the GatewayCore contract (gateway_core.h). Commands are
// dispatched through command_table.h; enqueue and subscribe live in message_enqueue.h and subscription_snapshot.h.
// Thread-safety: loop thread only, like the contract.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "gateway/core/gateway_core.h"
#include "gateway/core/world_summary_cache.h"
#include "gateway/storage/storage.h"
#include "gateway/storage/wal_syncer.h"

namespace aw::gateway {

class GatewayCoreImpl final : public GatewayCore {
 public:
  GatewayCoreImpl(CoreOptions options, Logger logger, std::unique_ptr<storage::Storage> storage);

  // GatewayCore
  CommandResult run_command(std::string_view command, const json::Value& params,
                            const std::optional<std::string>& world_id, const Principal& principal) override;
  EnqueueResult enqueue(const EnqueueRequest& request) override;
  void watch_durability(std::function<void(std::function<void()>)> post,
                        std::function<void(DurabilityTicket synced, bool ok)> on_durable) override;
  DurabilityStats durability_stats() const override;
  void flush_durability() override;
  SubscribeSnapshot subscribe(const SubscribeRequest& request) override;
  Result<PersistedFrame> append_event(const std::string& world_id, const std::optional<std::string>& chat_id,
                                      std::string_view event_type, std::string_view payload_json,
                                      const std::optional<std::string>& run_id, std::optional<std::int64_t> attempt,
                                      const std::optional<std::string>& message_id) override;
  bool is_ready() const override { return storage_ != nullptr; }
  std::int64_t world_count() override;
  std::vector<std::pair<std::string, std::int64_t>> queue_counts() override;
  std::vector<std::pair<std::string, std::int64_t>> persisted_event_counts() const override;

  // For tests of the storage underneath.
  storage::Storage& storage_for_test() { return *storage_; }
  const WorldSummaryCache& world_summaries_for_test() const { return world_summaries_; }
  // The bus wiring (gateway/bus/bus_hub.h) shares this connection; loop thread only.
  storage::Storage& storage() { return *storage_; }

 private:
  const CoreOptions options_;
  const Logger logger_;
  std::unique_ptr<storage::Storage> storage_;
  std::map<std::string, std::int64_t> persisted_counts_;  // event type -> frames persisted since start
  WorldSummaryCache world_summaries_;

  // Durable acks off the loop (watch_durability). The syncer's thread posts each result to the loop, where
  // `synced_` follows it; `requested_` is the last ticket handed out.
  void on_synced(DurabilityTicket synced, bool ok);
  std::function<void(DurabilityTicket, bool)> on_durable_;
  DurabilityTicket requested_ = 0;
  DurabilityTicket synced_ = 0;
  bool durability_lost_ = false;                // a sync failed: see watch_durability in gateway_core.h
  std::unique_ptr<storage::WalSyncer> syncer_;  // last: its thread stops before the members above go
};

}  // namespace aw::gateway
