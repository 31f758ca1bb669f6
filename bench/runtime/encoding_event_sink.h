// EncodingEventSink: the bus worker's event path without the socket. publish() turns each runtime event into the
// bus `event` frame exactly as PublishingEventSink does (worker::event_to_bus, then bus::encode) and keeps only counts,
// so a benchmark measures everything up to the bytes the worker would hand to its PUB socket.
// Thread-safety: one run thread (the counters are plain).
#pragma once

#include <cstdint>
#include <utility>

#include "common/bus/bus_codec.h"
#include "processor/runtime/runtime_event.h"
#include "processor/worker/bus_adapter.h"

namespace aw::bench::runtime {

class EncodingEventSink : public processor::EventSink {
 public:
  explicit EncodingEventSink(processor::AttemptIdentity identity) : identity_(std::move(identity)) {}

  // EventSink
  void publish(processor::RuntimeEvent event) override {
    const bus::Frame frame = bus::encode(processor::worker::event_to_bus(event, identity_));
    ++events_;
    if (event.is_chunk) ++chunks_;
    bytes_ += frame.topic.size() + frame.body.size();
  }

  std::int64_t events() const { return events_; }
  std::int64_t chunks() const { return chunks_; }
  std::int64_t bytes() const { return bytes_; }
  void reset() { events_ = chunks_ = bytes_ = 0; }

 private:
  const processor::AttemptIdentity identity_;
  std::int64_t events_ = 0;
  std::int64_t chunks_ = 0;
  std::int64_t bytes_ = 0;
};

}  // namespace aw::bench::runtime
