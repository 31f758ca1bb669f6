// PublishingEventSink: the EventSink of one attempt in the bus worker. publish() runs on the attempt's thread: it
// encodes the bus `event` frame there and hands it at once to `publish_frame`, which sends it on the PUB socket
// under the worker's socket lock (BusWorker::publish_event) unless the attempt was silenced meanwhile. Sending from
// the run thread saves the hop through the bus thread (a wake-up and a scheduling delay per burst of events:
// docs/benchmarks.md "Session 5"). Index order (§6) holds because one run thread emits in order.
// Thread-safety: publish() from the attempt's thread; `publish_frame` must be safe to call from any thread.
#pragma once

#include <functional>
#include <utility>

#include "common/bus/bus_codec.h"
#include "processor/runtime/event_body.h"
#include "processor/runtime/runtime_event.h"
#include "processor/worker/bus_adapter.h"

namespace aw::processor::worker {

class PublishingEventSink : public EventSink {
 public:
  using PublishFrame = std::function<void(const bus::Frame&)>;

  PublishingEventSink(AttemptIdentity identity, PublishFrame publish_frame)
      : identity_(std::move(identity)), publish_frame_(std::move(publish_frame)) {}

  void publish(RuntimeEvent event) override { publish_frame_(bus::encode(event_to_bus(event, identity_))); }

 private:
  const AttemptIdentity identity_;
  const PublishFrame publish_frame_;
};

}  // namespace aw::processor::worker
