// RecordingEventSink: an EventSink for tests that keeps every published event, and a compact trace of them so a
// test can assert a whole event sequence in one comparison.
// Thread-safety: publish() and the readers may be called from any thread.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "common/json.h"
#include "processor/runtime/runtime_event.h"

namespace aw::processor::testing {

class RecordingEventSink : public EventSink {
 public:
  // EventSink
  void publish(RuntimeEvent event) override {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(std::move(event));
  }

  std::vector<RuntimeEvent> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;  // guards events_
  std::vector<RuntimeEvent> events_;
};

}  // namespace aw::processor::testing
