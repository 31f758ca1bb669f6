// Subscribe snapshot and replay selection (see subscription_snapshot.h).
#include "gateway/core/subscription_snapshot.h"

#include "gateway/core/event_frames.h"

namespace aw::gateway {

SubscribeSnapshot snapshot_subscription(storage::Storage& storage, const CoreOptions& options,
                                        const SubscribeRequest& request, const Logger& logger) {
  SubscribeSnapshot snap;
  auto fail = [&](const Status& cause) {
    logger.error("subscribe snapshot failed", {{"world", request.world_id}, {"error", cause.message()}});
    return snap;
  };

  auto world = storage.worlds().find(request.world_id);
  if (!world) return fail(world.status());
  if (!world.value()) {
    // An unknown world is accepted with seq 0 and no epoch [compat]; a tombstone's seq is not reported (§4.3).
    snap.world_exists = false;
    snap.chat_exists = !request.chat_id.has_value();
    return snap;
  }
  snap.world_exists = true;

  auto log = storage.events().state(request.world_id);
  if (!log) return fail(log.status());
  storage::EventLogState state = log.value().value_or(storage::EventLogState{});
  snap.latest_seq = state.last_seq;
  if (log.value()) snap.epoch = state.epoch;

  storage::EventFilter filter{request.world_id, std::nullopt};
  if (request.chat_id) {
    auto chat = storage.chats().find(request.world_id, *request.chat_id);
    if (!chat) return fail(chat.status());
    snap.chat_exists = chat.value().has_value();
    // A chat that does not exist filters like a world-wide subscription.
    if (snap.chat_exists) filter.chat_id = request.chat_id;
  }

  if (!request.last_seq) return snap;
  const Seq after = *request.last_seq;
  if (request.epoch && *request.epoch != state.epoch) return snap;
  if (after > snap.latest_seq) return snap;
  if (state.pruned_through > after) return snap;
  auto matching = storage.events().count_range(filter, after, snap.latest_seq);
  if (!matching) return fail(matching.status());
  if (matching.value() > options.replay_max_events) return snap;

  auto rows = storage.events().range(filter, after, snap.latest_seq, matching.value());
  if (!rows) return fail(rows.status());
  snap.replay.reserve(rows->size());
  for (const auto& row : rows.value()) snap.replay.push_back(to_persisted_frame(row, true));
  snap.recovered = true;
  return snap;
}

}  // namespace aw::gateway
