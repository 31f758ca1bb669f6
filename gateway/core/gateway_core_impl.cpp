// GatewayCore over SQLite (see gateway_core_impl.h), and GatewayCore::open.
#include "gateway/core/gateway_core_impl.h"

#include <exception>

#include "gateway/core/command_table.h"
#include "gateway/core/event_frames.h"
#include "gateway/core/message_enqueue.h"
#include "gateway/core/subscription_snapshot.h"
#include "gateway/storage/schema_migrations.h"

namespace aw::gateway {

Result<std::unique_ptr<GatewayCore>> GatewayCore::open(const CoreOptions& options, Logger logger) {
  const bool in_memory = options.storage_type == "memory";
  if (!in_memory && options.database_path.empty()) {
    return Status::error("storage_unavailable", "no database path configured (AGENT_WORLD_SQLITE_DATABASE)");
  }
  auto storage = storage::Storage::open(options.database_path, in_memory);
  if (!storage) return storage.status();
  logger.info("database ready",
              {{"path", storage.value()->db().path()}, {"schemaVersion", storage::latest_schema_version()}});
  return std::unique_ptr<GatewayCore>(new GatewayCoreImpl(options, std::move(logger), std::move(storage.value())));
}

GatewayCoreImpl::GatewayCoreImpl(CoreOptions options, Logger logger, std::unique_ptr<storage::Storage> storage)
    : options_(std::move(options)), logger_(std::move(logger)), storage_(std::move(storage)) {}

CommandResult GatewayCoreImpl::run_command(std::string_view command, const json::Value& params,
                                           const std::optional<std::string>& world_id, const Principal& principal) {
  const CommandSpec* spec = find_command(command);
  if (spec == nullptr) {
    return command_failure(Status::error("unknown_command", "Unknown command: " + std::string(command)));
  }
  if (!params.IsObject()) {
    return command_failure(Status::invalid_request("Invalid params for " + std::string(command)));
  }
  if (spec->world_rule == WorldRule::Required && !world_id) {
    return command_failure(Status::invalid_request("worldId required for " + std::string(command)));
  }
  static const std::optional<std::string> kNoWorld;
  CommandContext ctx{*storage_, options_, logger_,
                     command,   params,   spec->world_rule == WorldRule::Ignored ? kNoWorld : world_id,
                     principal, now_ms(), world_summaries_};
  try {
    std::optional<storage::ReadTransaction> snapshot;
    if (spec->access == Access::ReadOnly) {
      auto begun = storage::ReadTransaction::begin(storage_->db());
      if (!begun) return command_internal(ctx, begun.status());
      snapshot.emplace(std::move(begun).value());
    }
    CommandResult result = spec->handler(ctx);
    if (result.status && !result.broadcasts.empty()) {
      persisted_counts_["crud"] += static_cast<std::int64_t>(result.broadcasts.size());
    }
    return result;
  } catch (const std::exception& e) {
    // A throwing RapidJSON assert or std::bad_alloc: a defect, answered as internal, never a crash.
    return command_internal(ctx, Status::internal(e.what()));
  }
}

EnqueueResult GatewayCoreImpl::enqueue(const EnqueueRequest& request) {
  if (syncer_ != nullptr && durability_lost_) {
    logger_.error(
        "message refused: an earlier sync of the write-ahead log failed; restart the gateway once the "
        "disk is healthy",
        {{"world", request.world_id}});
    EnqueueResult refused;
    refused.status = Status::internal("Failed to queue message");
    return refused;
  }
  try {
    bool committed = false;
    EnqueueResult result =
        enqueue_message(*storage_, options_, request, now_ms(), logger_, syncer_ == nullptr, &committed);
    if (syncer_ != nullptr && result.status) {
      if (committed) {
        requested_ = syncer_->request();
        result.durable_at = requested_;
      } else if (requested_ > synced_) {
        // A duplicate of an item whose own sync may still be running: its ack waits for everything so far.
        result.durable_at = requested_;
      }
    }
    return result;
  } catch (const std::exception& e) {
    logger_.error("enqueue failed", {{"world", request.world_id}, {"error", e.what()}});
    EnqueueResult r;
    r.status = Status::internal("Failed to queue message");
    return r;
  }
}

void GatewayCoreImpl::watch_durability(std::function<void(std::function<void()>)> post,
                                       std::function<void(DurabilityTicket synced, bool ok)> on_durable) {
  syncer_.reset();  // syncs what is pending and joins; its last results may still be posted
  on_durable_ = std::move(on_durable);
  if (!post || storage_->db().is_in_memory()) return;
  // Only a WAL database has a log whose sync makes a commit durable; anything else keeps synchronous=FULL.
  auto mode = storage_->db().prepare("PRAGMA journal_mode");
  auto row = mode ? mode->step() : Result<bool>(mode.status());
  if (!row || !row.value() || mode->text(0) != "wal") {
    logger_.warn("the database is not in WAL mode: every enqueue syncs on the loop");
    return;
  }
  syncer_ = std::make_unique<storage::WalSyncer>(
      storage_->db().wal_path(),
      [this, post = std::move(post)](DurabilityTicket synced, bool ok) {
        post([this, synced, ok] { on_synced(synced, ok); });
      },
      requested_);
}

GatewayCore::DurabilityStats GatewayCoreImpl::durability_stats() const {
  if (syncer_ == nullptr) return {};
  const storage::WalSyncer::Stats stats = syncer_->stats();
  return DurabilityStats{stats.syncs, stats.failures, stats.seconds};
}

void GatewayCoreImpl::flush_durability() {
  if (syncer_ == nullptr || requested_ <= synced_) return;
  const DurabilityTicket target = requested_;
  on_synced(target, syncer_->sync_now());
}

void GatewayCoreImpl::on_synced(DurabilityTicket synced, bool ok) {
  if (synced <= synced_) return;  // a shutdown flush got there first
  synced_ = synced;
  if (!ok && !durability_lost_) {
    durability_lost_ = true;
    logger_.error("the write-ahead log could not be synced: messages are refused until the gateway restarts",
                  {{"ticket", static_cast<std::int64_t>(synced)}});
  }
  if (on_durable_) on_durable_(synced, !durability_lost_);
}

SubscribeSnapshot GatewayCoreImpl::subscribe(const SubscribeRequest& request) {
  try {
    return snapshot_subscription(*storage_, options_, request, logger_);
  } catch (const std::exception& e) {
    logger_.error("subscribe snapshot failed", {{"world", request.world_id}, {"error", e.what()}});
    return SubscribeSnapshot{};
  }
}

Result<PersistedFrame> GatewayCoreImpl::append_event(const std::string& world_id,
                                                     const std::optional<std::string>& chat_id,
                                                     std::string_view event_type, std::string_view payload_json,
                                                     const std::optional<std::string>& run_id,
                                                     std::optional<std::int64_t> attempt,
                                                     const std::optional<std::string>& message_id) {
  auto payload = json::parse_trusted(payload_json);
  if (!payload || !payload->IsObject()) return Status::invalid_request("event payload must be a JSON object");
  auto tx = storage::Transaction::begin(storage_->db());
  if (!tx) return tx.status();
  auto world = storage_->worlds().find(world_id);
  if (!world) return world.status();
  if (!world.value()) return Status::error("world_not_found", "World '" + world_id + "' not found");
  storage::NewEvent event;
  event.world_id = world_id;
  event.chat_id = chat_id;
  event.frame_type = "event";
  event.event_type = std::string(event_type);
  event.message_id = message_id;
  event.run_id = run_id;
  event.attempt = attempt;
  event.payload = std::string(payload_json);
  event.ts_ms = now_ms();
  auto record = storage_->events().append(event);
  if (!record) return record.status();
  if (Status s = tx->commit(); !s) return s;
  persisted_counts_[event.event_type] += 1;
  return to_persisted_frame(record.value(), false);
}

std::int64_t GatewayCoreImpl::world_count() {
  auto n = storage_->worlds().count();
  if (!n) {
    logger_.warn("world count failed", {{"error", n.status().message()}});
    return 0;
  }
  return n.value();
}

std::vector<std::pair<std::string, std::int64_t>> GatewayCoreImpl::queue_counts() {
  auto counts = storage_->queue().counts_by_state();
  if (!counts) {
    logger_.warn("queue counts failed", {{"error", counts.status().message()}});
    return {};
  }
  return counts.value();
}

std::vector<std::pair<std::string, std::int64_t>> GatewayCoreImpl::persisted_event_counts() const {
  return {persisted_counts_.begin(), persisted_counts_.end()};
}

}  // namespace aw::gateway
