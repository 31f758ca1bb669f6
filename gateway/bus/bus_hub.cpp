// The bus on the loop thread (see bus_hub.h).
#include "gateway/bus/bus_hub.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "gateway/bus/admin_service.h"
#include "gateway/storage/run_store.h"

namespace aw::gateway::bus {

BusHub::BusHub(storage::Storage& storage, GatewayCore& core, const BusSettings& settings, BusOutput& output,
               std::string gateway_id, Logger logger)
    : storage_(storage),
      core_(core),
      output_(output),
      logger_(std::move(logger)),
      deferred_(output),
      registry_(settings, clock_, std::move(gateway_id)),
      dispatcher_(storage, settings, clock_, random_, registry_, leases_, deferred_, counters_,
                  logger_.child("dispatch")),
      intake_(storage, settings, clock_, leases_, dispatcher_, deferred_, counters_, logger_.child("intake")),
      canceller_(storage, settings, clock_, leases_, dispatcher_, deferred_, logger_.child("cancel")),
      titles_(storage, settings, clock_, registry_, dispatcher_, deferred_, counters_, logger_.child("title")) {
  dispatcher_.set_other_outstanding([this] { return titles_.outstanding(); });
  // A title job starts only for a commit that is durable: after its batch's COMMIT.
  intake_.set_on_completed([this](const aw::bus::Commit& commit, const std::string& chat_id) {
    CompletedRun run{commit.world_id, chat_id, TitleJobs::senders_of(commit)};
    (batch_open_ ? completed_in_batch_ : completed_).push_back(std::move(run));
  });
}

std::chrono::milliseconds BusHub::tick_period(const BusSettings& settings) {
  return std::chrono::milliseconds(std::clamp<std::int64_t>(settings.heartbeat_ms / 4, 10, 1000));
}

Status BusHub::start() {
  Status s = dispatcher_.recover();
  if (s) dispatcher_.pump();
  return s;
}

void BusHub::handle(aw::bus::BusMessage& message) {
  std::visit(
      [this](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, aw::bus::Hello>) {
          dispatcher_.on_hello(m);
        } else if constexpr (std::is_same_v<T, aw::bus::Heartbeat>) {
          dispatcher_.on_heartbeat(m);
          canceller_.on_heartbeat(m);
        } else if constexpr (std::is_same_v<T, aw::bus::Accept>) {
          dispatcher_.on_accept(m);
        } else if constexpr (std::is_same_v<T, aw::bus::Reject>) {
          dispatcher_.on_reject(m);
        } else if constexpr (std::is_same_v<T, aw::bus::Event>) {
          intake_.on_event(m);
        } else if constexpr (std::is_same_v<T, aw::bus::Commit>) {
          intake_.on_commit(m);
        } else if constexpr (std::is_same_v<T, aw::bus::TitleResult>) {
          title_results_.push_back(std::move(m));  // applied after the batch (on_batch)
        } else {
          // G->P kinds never arrive on the events socket (decode checks the topic of each kind).
          counters_.dropped_invalid += 1;
        }
      },
      message);
}

void BusHub::on_batch(InboundBatch&& batch) {
  counters_.dropped_invalid += batch.dropped_invalid;
  counters_.dropped_version += batch.dropped_version;
  counters_.auth_failures += batch.auth_denied;
  // Only events, commits and accepts (grants) write: a batch of heartbeats takes no write lock.
  const bool writes = std::any_of(batch.messages.begin(), batch.messages.end(), [](const aw::bus::BusMessage& m) {
    return std::holds_alternative<aw::bus::Event>(m) || std::holds_alternative<aw::bus::Commit>(m) ||
           std::holds_alternative<aw::bus::Accept>(m);
  });
  if (writes) {
    handle_in_transaction(batch.messages);
  } else {
    for (aw::bus::BusMessage& message : batch.messages) handle(message);
  }
  // Title results after the batch, each in its own transaction: a rolled-back batch cannot lose a title that no
  // processor would send again.
  std::vector<aw::bus::TitleResult> results = std::move(title_results_);
  title_results_.clear();
  for (const aw::bus::TitleResult& result : results) titles_.on_result(result);
  if (!results.empty()) dispatcher_.pump();  // an answer freed a slot
  start_titles();
  titles_.pump();  // credit may have appeared (hello, hb, accept, title-result)
}

void BusHub::handle_in_transaction(std::vector<aw::bus::BusMessage>& messages) {
  // Work and title pushes wait for the COMMIT too: a work item is built from the batch's rows, and a dispatch made
  // inside a batch that then rolls back would outlive the state it was made from.
  dispatcher_.hold_pushes();
  std::optional<storage::Transaction> tx;
  begin_batch(tx);
  for (aw::bus::BusMessage& message : messages) {
    handle(message);
    if (tx && !storage_.db().in_transaction()) {
      // SQLite rolled the batch back by itself (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM): the writes before this
      // message are gone, writes after the failure committed one by one. The rest of the batch gets a new one.
      logger_.error("bus batch rolled back by SQLite", {{"messages", static_cast<std::int64_t>(messages.size())}});
      tx.reset();  // its ROLLBACK fails harmlessly: nothing is open
      abandon_batch();
      begin_batch(tx);
    }
  }
  if (tx) {
    Status committed = tx->commit();
    tx.reset();
    if (committed) {
      commit_batch();
    } else {
      logger_.error("bus batch not committed",
                    {{"error", committed.message()}, {"messages", static_cast<std::int64_t>(messages.size())}});
      abandon_batch();
    }
  }
  dispatcher_.release_pushes();
}

void BusHub::begin_batch(std::optional<storage::Transaction>& tx) {
  auto begun = storage::Transaction::begin(storage_.db());
  if (!begun) {
    // The database is busy or failing: each write opens its own transaction, as it would alone.
    logger_.warn("bus batch transaction not opened", {{"error", begun.status().message()}});
    return;
  }
  tx.emplace(std::move(begun).value());
  batch_open_ = true;
  storage::Database* db = &storage_.db();
  deferred_.hold([db] { return db->in_transaction(); });
  leases_.begin_journal();
  intake_.begin_batch();
  gaps_at_batch_ = counters_.gaps;
  persisted_at_batch_ = counters_.persisted_events;
}

void BusHub::commit_batch() {
  batch_open_ = false;
  leases_.commit_journal();
  intake_.commit_batch();
  deferred_.release();
  for (CompletedRun& run : completed_in_batch_) completed_.push_back(std::move(run));
  completed_in_batch_.clear();
}

void BusHub::abandon_batch() {
  batch_open_ = false;
  deferred_.discard();
  intake_.rollback_batch();
  counters_.gaps = gaps_at_batch_;
  counters_.persisted_events = persisted_at_batch_;
  completed_in_batch_.clear();
  rebuild_leases();
}

void BusHub::rebuild_leases() {
  leases_.rollback_journal();
  auto processing = storage::RunStore(storage_).processing();
  if (!processing) {
    logger_.error("bus leases not rebuilt", {{"error", processing.status().message()}});
    return;
  }
  std::set<std::tuple<std::string, std::string, std::int64_t>> current;
  for (const storage::QueueItemRecord& item : processing.value()) {
    current.emplace(item.world_id, item.message_id, item.attempt);
  }
  std::vector<RunKey> gone;
  for (const auto& [key, lease] : leases_.all()) {
    if (current.count({lease.world_id, lease.run_id, lease.attempt}) == 0) gone.push_back(key);
  }
  for (const RunKey& key : gone) leases_.release(key.first, key.second);
  Status s = dispatcher_.recover();  // processing items without a lease get a fresh one
  if (!s) logger_.error("bus leases not rebuilt", {{"error", s.message()}});
}

void BusHub::start_titles() {
  std::vector<CompletedRun> runs = std::move(completed_);
  completed_.clear();
  for (const CompletedRun& run : runs) titles_.on_run_completed(run.world_id, run.chat_id, run.senders);
}

void BusHub::tick() {
  canceller_.tick();
  titles_.tick();
  dispatcher_.tick();
  titles_.pump();
}

void BusHub::after_command(std::string_view command, const json::Value& params,
                           const std::optional<std::string>& world_id, const CommandResult& result) {
  if (!result.status) return;
  if (command == "cancel-message" && world_id) {
    if (auto message_id = json::get_string(params, "messageId")) canceller_.message_cancelled(*world_id, *message_id);
  } else if (command == "delete-chat" && world_id && result.data_json == "true") {
    if (auto chat_id = json::get_string(params, "chatId")) canceller_.chat_deleted(*world_id, *chat_id);
    // Items waiting for a retry in that chat end now too (pinned run chat, RunStore::run_chat).
    if (Status s = dispatcher_.cancel_orphaned_runs(*world_id); !s) {
      logger_.error("bus: ending the runs of a deleted chat failed", {{"error", s.message()}});
    }
  } else if (command == "delete-world") {
    for (const std::string& id : result.deleted_worlds) canceller_.world_deleted(id);
  } else if (command != "retry-failed") {
    return;
  }
  dispatcher_.pump();
}

std::string BusHub::admin(const std::string& request, const AdminCaller& caller) {
  AdminContext ctx{core_, registry_, leases_, clock_};
  ctx.dispatched = dispatcher_.dispatched_count();
  ctx.caller_key = caller.curve_key;
  ctx.may_mutate = caller.may_mutate;
  ctx.logger = &logger_;
  ctx.storage = &storage_;
  // As BusAwareCore does for a WebSocket command, except that no session delivers the results: the output does.
  ctx.mutate = [this](std::string_view command, const json::Value& params, const std::optional<std::string>& world_id,
                      const Principal& principal) {
    CommandResult result = core_.run_command(command, params, world_id, principal);
    for (const PersistedFrame& frame : result.broadcasts) output_.broadcast_event(PersistedFrame(frame));
    for (const StatusBroadcast& status : result.statuses) output_.broadcast_status(StatusBroadcast(status));
    after_command(command, params, world_id, result);
    return result;
  };
  return handle_admin_request(request, ctx);
}

}  // namespace aw::gateway::bus
