// InboundQueue: the hand-over of decoded P->G bus messages from the bus reader thread to the loop thread, which
// coalesces them while the loop is busy.
//
// The reader add()s every batch it read; add() answers true when no drain is pending on the loop, and only then
// does the reader post one (BusNode). The loop's drain take()s what is queued (at most `max_take` messages),
// handles it, then calls finish(): if more arrived meanwhile, the drain stays pending and the loop posts the next
// one itself. So an idle loop gets each batch at once (no added latency), and the frames that arrive while the loop
// handles a batch (its SQLite transaction) are merged into the next batch: one transaction and one loop wake-up
// for them instead of one each. Order is kept (one FIFO, one consumer).
//
// Thread-safety: add() from any thread; take() and finish() from the loop thread only; a mutex guards the queue.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "common/bus/bus_codec.h"

namespace aw::gateway::bus {

// A batch of decoded P->G messages with the drops counted while reading it.
struct InboundBatch {
  std::vector<aw::bus::BusMessage> messages;
  std::int64_t dropped_invalid = 0;
  std::int64_t dropped_version = 0;
  std::int64_t auth_denied = 0;  // ZAP refusals (agentworld_bus_auth_failures_total)
};

class InboundQueue {
 public:
  explicit InboundQueue(std::size_t max_take) : max_take_(max_take == 0 ? 1 : max_take) {}
  InboundQueue(const InboundQueue&) = delete;
  InboundQueue& operator=(const InboundQueue&) = delete;

  // Appends the batch's messages and adds its counters. True when the caller must post a drain (none is pending);
  // the drain then stays pending until a take() empties the queue.
  bool add(InboundBatch&& batch);

  // Takes the oldest messages (at most max_take) and all counters. The drain stays pending.
  InboundBatch take();
  // After the taken batch was handled: true when messages or counters are waiting (the caller posts the next
  // drain, still pending); false when nothing is (no drain pending any more: the next add() asks for one).
  bool finish();

 private:
  const std::size_t max_take_;
  std::mutex mutex_;
  std::deque<aw::bus::BusMessage> queued_;
  InboundBatch counters_;  // messages unused: the counters not yet taken
  bool drain_pending_ = false;
};

}  // namespace aw::gateway::bus
