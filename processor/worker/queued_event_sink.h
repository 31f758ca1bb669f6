// QueuedEventSink: the EventSink of one attempt in the bus worker. publish() runs on the attempt's thread: it
// encodes the bus `event` frame there and posts a task that hands the frame to `deliver` on the bus thread (the
// only thread that may touch the PUB socket). Index order (§6) holds because one run thread emits in order and
// the queue is FIFO.
// Thread-safety: publish() from any thread; `deliver` always runs on the thread that drains the queue.
#pragma once

#include <functional>
#include <utility>

#include "common/bus/bus_codec.h"
#include "processor/runtime/event_body.h"
#include "processor/runtime/runtime_event.h"
#include "processor/worker/bus_adapter.h"
#include "processor/worker/bus_task_queue.h"

namespace aw::processor::worker {

class QueuedEventSink : public EventSink {
 public:
  using Deliver = std::function<void(const bus::Frame&)>;

  // `queue` is borrowed and must outlive every task this sink posts.
  QueuedEventSink(BusTaskQueue& queue, AttemptIdentity identity, Deliver deliver)
      : queue_(queue), identity_(std::move(identity)), deliver_(std::move(deliver)) {}

  void publish(RuntimeEvent event) override {
    bus::Frame frame = bus::encode(event_to_bus(event, identity_));
    queue_.post([deliver = deliver_, frame = std::move(frame)] { deliver(frame); });
  }

 private:
  BusTaskQueue& queue_;
  const AttemptIdentity identity_;
  const Deliver deliver_;
};

}  // namespace aw::processor::worker
