// Queue commands (ws-protocol.md §8.3): cancel-message, queue-status, list-failed, retry-failed.
// The dispatcher (leases, bus cancel) is not part of the core: cancelling a `processing` item is accepted here and
// ended by the dispatcher when the run's commit arrives.
#include <limits>

#include "gateway/core/command_params.h"
#include "gateway/core/command_table.h"
#include "gateway/core/entity_views.h"
#include "gateway/core/json_builder.h"
#include "gateway/core/status_frames.h"
#include "gateway/storage/run_store.h"

namespace aw::gateway {
namespace {

constexpr std::int64_t kDefaultFailedLimit = 100;
constexpr std::int64_t kMaxFailedLimit = 1000;
constexpr std::int64_t kNoLimit = std::numeric_limits<std::int64_t>::max();

}  // namespace

CommandResult cancel_message(CommandContext& ctx) {
  auto message_id = required_string(ctx.params, "messageId");
  if (!message_id) return command_failure(message_id.status());
  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_failure(world_not_found(*ctx.world_id, false));
  auto found = ctx.storage.queue().find(*ctx.world_id, message_id.value());
  if (!found) return command_internal(ctx, found.status());
  if (!found.value()) return command_failure(message_not_found(message_id.value()));
  storage::QueueItemRecord item = std::move(*found.value());

  auto answer = [&](bool cancelled) {
    JsonBuilder b;
    b.begin_object().field("messageId", item.message_id).field("cancelled", cancelled).field("state", item.state);
    b.end_object();
    return b.take();
  };
  if (item.state == "processing") {
    // Accepted; the run is aborted by the dispatcher and ends `cancelled` when its commit arrives (§8.3).
    return command_success("Message cancelled", answer(true));
  }
  if (item.state != "pending") return command_success("Message already " + item.state, answer(false));

  auto chat = storage::RunStore(ctx.storage).run_chat(*world.value(), item);
  if (!chat) return command_internal(ctx, chat.status());
  item.state = "cancelled";
  item.error = "Cancelled";
  item.error_code = "cancelled";
  item.finished_at = iso8601_ms(ctx.now);
  if (Status s = ctx.storage.queue().update(item); !s) return command_internal(ctx, s);
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);

  CommandResult result = command_success("Message cancelled", answer(true));
  FailedStatus failed;
  failed.world_id = item.world_id;
  failed.message_id = item.message_id;
  failed.chat_id = chat.value();
  failed.error = "Cancelled";
  failed.code = "cancelled";
  failed.attempt = item.attempt;
  failed.cancelled = true;
  result.statuses.push_back(failed_status(failed, ctx.now));
  return result;
}

CommandResult queue_status(CommandContext& ctx) {
  std::vector<std::string> world_ids;
  if (ctx.world_id) {
    auto world = ctx.storage.worlds().find(*ctx.world_id);
    if (!world) return command_internal(ctx, world.status());
    if (!world.value()) return command_failure(world_not_found(*ctx.world_id, false));
    world_ids.push_back(*ctx.world_id);
  } else {
    auto worlds = ctx.storage.worlds().list();
    if (!worlds) return command_internal(ctx, worlds.status());
    for (const auto& w : worlds.value()) {
      if (ctx.principal.may_access_world(w.id)) world_ids.push_back(w.id);
    }
  }
  JsonBuilder b;
  b.begin_object().key("worlds").begin_array();
  for (const auto& id : world_ids) {
    auto counts = ctx.storage.queue().world_counts(id);
    if (!counts) return command_internal(ctx, counts.status());
    b.begin_object().field("worldId", id).field("pending", counts->pending).field("processing", counts->processing);
    b.field("failed", counts->failed).optional_field("oldestPendingAt", counts->oldest_pending_at).end_object();
  }
  b.end_array().end_object();
  return command_success("Queue status for " + std::to_string(world_ids.size()) + " world(s)", b.take());
}

CommandResult list_failed(CommandContext& ctx) {
  auto limit = optional_integer(ctx.params, "limit", 1, kNoLimit, "must be an integer >= 1");
  if (!limit) return command_failure(limit.status());
  const std::int64_t max_items = std::min(limit.value().value_or(kDefaultFailedLimit), kMaxFailedLimit);
  if (ctx.world_id) {
    auto world = ctx.storage.worlds().find(*ctx.world_id);
    if (!world) return command_internal(ctx, world.status());
    if (!world.value()) return command_failure(world_not_found(*ctx.world_id, false));
  }
  // Without a world, the principal's scope filters the rows, so the limit is applied after filtering.
  auto items = ctx.storage.queue().failed(ctx.world_id, ctx.world_id ? max_items : kNoLimit);
  if (!items) return command_internal(ctx, items.status());
  JsonBuilder b;
  b.begin_array();
  std::int64_t n = 0;
  for (const auto& item : items.value()) {
    if (n == max_items) break;
    if (!ctx.principal.may_access_world(item.world_id)) continue;
    write_queue_item(b, item);
    ++n;
  }
  b.end_array();
  return command_success("Found " + std::to_string(n) + " failed message(s)", b.take());
}

CommandResult retry_failed(CommandContext& ctx) {
  auto message_id = optional_string(ctx.params, "messageId");
  if (!message_id) return command_failure(message_id.status());
  auto tx = storage::Transaction::begin(ctx.storage.db());
  if (!tx) return command_internal(ctx, tx.status());
  auto world = ctx.storage.worlds().find(*ctx.world_id);
  if (!world) return command_internal(ctx, world.status());
  if (!world.value()) return command_failure(world_not_found(*ctx.world_id, false));

  std::vector<storage::QueueItemRecord> items;
  if (message_id.value()) {
    auto found = ctx.storage.queue().find(*ctx.world_id, *message_id.value());
    if (!found) return command_internal(ctx, found.status());
    if (!found.value()) return command_failure(message_not_found(*message_id.value()));
    if (found.value()->state != "failed") {
      return command_failure(Status::invalid_request("Message '" + *message_id.value() + "' is not in failed state"));
    }
    items.push_back(std::move(*found.value()));
  } else {
    auto failed = ctx.storage.queue().failed(*ctx.world_id, kNoLimit);
    if (!failed) return command_internal(ctx, failed.status());
    items = std::move(failed.value());
  }

  CommandResult result;
  JsonBuilder b;
  b.begin_object().key("requeued").begin_array();
  for (auto& item : items) {
    item.state = "pending";
    item.error.reset();
    item.error_code.reset();
    item.lease_owner.reset();
    item.next_attempt_at.reset();
    item.finished_at.reset();
    // A fresh retry budget: the next attempt plus AW_QUEUE_MAX_RETRIES retries; attempt numbers continue (§8.3).
    item.max_attempt = item.attempt + 1 + ctx.options.queue_max_retries;
    if (Status s = ctx.storage.queue().update(item); !s) return command_internal(ctx, s);
    b.value(item.message_id);
    auto run_chat = storage::RunStore(ctx.storage).run_chat(*world.value(), item);
    if (!run_chat) return command_internal(ctx, run_chat.status());
    result.statuses.push_back(retried_status(item.world_id, item.message_id, run_chat.value(), ctx.now));
  }
  b.end_array().end_object();
  if (Status s = tx->commit(); !s) return command_internal(ctx, s);
  result.message = "Requeued " + std::to_string(items.size()) + " message(s)";
  result.data_json = b.take();
  return result;
}

}  // namespace aw::gateway
