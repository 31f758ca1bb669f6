// The one place where the bus model (common/bus: what travels on the wire, decoded and validated by the codec) meets
// the runtime model (processor/runtime: what a run computes with). The runtime keeps its own types because
// `aw-processor --once` and its unit tests build them without the bus; the worker converts at this edge only:
// `work` -> WorkItem, `title` -> TitleJob, and a run's Commit / RuntimeEvent / TitleResult -> the bus messages it
// publishes (encoded by aw::bus::encode, so every P->G body comes from the codec).
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "common/bus/bus_messages.h"
#include "processor/runtime/commit.h"
#include "processor/runtime/event_body.h"
#include "processor/runtime/runtime_event.h"
#include "processor/runtime/title_job.h"
#include "processor/runtime/work_item.h"

namespace aw::processor::worker {

// Copies the work body into the runtime's snapshot. Applies the runtime's reading of the fields: turnLimit 0 means
// the default (agent-runtime.md §2.1), history entries of ids that are not agents of the item are dropped.
WorkItem work_item_from_bus(const bus::Work& work);

TitleJob title_job_from_bus(const bus::Title& title);

bus::Event event_to_bus(const RuntimeEvent& event, const AttemptIdentity& identity);

bus::Commit commit_to_bus(const Commit& commit, std::string_view processor_id);

bus::TitleResult title_result_to_bus(const TitleJob& job, const TitleResult& result, std::string_view processor_id);

}  // namespace aw::processor::worker
