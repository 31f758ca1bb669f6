// Building the `work` body of a dispatch (bus-protocol.md §4.1) from storage: the run chat resolved, the world,
// its agents in creation order with counters and rev, and each agent's prompt history.
// Thread-safety: loop thread only (reads the caller's Storage).
#pragma once

#include <string>

#include "common/bus/bus_messages.h"
#include "gateway/bus/bus_settings.h"
#include "gateway/storage/storage.h"

namespace aw::gateway::bus {

// Failure code of build_work() for an item granted before whose run chat was deleted since (it must end
// `cancelled`, never run in another chat: RunStore::run_chat).
inline constexpr const char* kRunChatDeleted = "run_chat_deleted";

// The work body for `item` as attempt item.attempt + 1 under `dispatch_id`. The run chat is RunStore::run_chat():
// the chat of its first grant, or before that the item's chat when it names an existing chat of the world, else
// the world's current chat. Fails with "world_not_found" when the world is gone, kRunChatDeleted (see above) and
// "chat_not_found" when no chat can be resolved.
// History (agent-runtime.md §6 "Who does what"): the stored memory rows of the run chat (all agents) are read newest
// first, in pages, until every agent has `historyWindow` visible rows (at most 5000 rows); then for each agent A,
// steps 2-4 over them: first row per messageId, without the trigger, SYSTEM senders, turn-limit notices and empty
// contents, only rows visible to A, the newest `historyWindow` of those, oldest first.
Result<aw::bus::Work> build_work(storage::Storage& storage, const BusSettings& settings,
                                 const storage::QueueItemRecord& item, const std::string& dispatch_id);

}  // namespace aw::gateway::bus
