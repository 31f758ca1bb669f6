// The bus on the loop thread (see bus_hub.h).
#include "gateway/bus/bus_hub.h"

#include <algorithm>
#include <type_traits>
#include <variant>
#include <vector>

#include "gateway/bus/admin_service.h"

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
      titles_(storage, settings, clock_, registry_, dispatcher_, deferred_, logger_.child("title")) {
  dispatcher_.set_other_outstanding([this] { return titles_.outstanding(); });
  intake_.set_on_completed(
      [this](const aw::bus::Commit& commit, const std::string& chat_id) { titles_.on_run_completed(commit, chat_id); });
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
          titles_.on_result(m);
          dispatcher_.pump();  // the answer freed a slot
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
  // Only events, commits, accepts (grants) and title results write: a batch of heartbeats takes no write lock.
  const bool writes = std::any_of(batch.messages.begin(), batch.messages.end(), [](const aw::bus::BusMessage& m) {
    return std::holds_alternative<aw::bus::Event>(m) || std::holds_alternative<aw::bus::Commit>(m) ||
           std::holds_alternative<aw::bus::Accept>(m) || std::holds_alternative<aw::bus::TitleResult>(m);
  });
  if (!writes) {
    for (aw::bus::BusMessage& message : batch.messages) handle(message);
    titles_.pump();  // credit may have appeared (hello, hb)
    return;
  }
  auto tx = storage::Transaction::begin(storage_.db());
  if (!tx) {
    // Cannot open the batch transaction (the database is busy or failing): each write opens its own, as it would
    // alone, and fails or succeeds on its own.
    logger_.warn("bus batch transaction not opened", {{"error", tx.status().message()}});
    for (aw::bus::BusMessage& message : batch.messages) handle(message);
    titles_.pump();
    return;
  }
  // Work and title pushes wait for the COMMIT too: a work item is built from the batch's rows, and a dispatch made
  // inside a batch that then rolls back would outlive the state it was made from.
  deferred_.hold();
  dispatcher_.hold_pushes();
  for (aw::bus::BusMessage& message : batch.messages) handle(message);
  Status committed = tx->commit();
  if (!committed) {
    deferred_.discard();
    logger_.error("bus batch not committed",
                  {{"error", committed.message()}, {"messages", static_cast<std::int64_t>(batch.messages.size())}});
    rebuild_leases();
  } else {
    deferred_.release();
  }
  dispatcher_.release_pushes();
  titles_.pump();  // credit may have appeared (hello, hb, accept)
}

void BusHub::rebuild_leases() {
  std::vector<RunKey> keys;
  for (const auto& [key, lease] : leases_.all()) keys.push_back(key);
  for (const RunKey& key : keys) leases_.release(key.first, key.second);
  Status s = dispatcher_.recover();
  if (!s) logger_.error("bus leases not rebuilt", {{"error", s.message()}});
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
