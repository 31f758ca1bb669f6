// LoadConnection: one client of the soak load (a subscriber, a sender or an abuser), driven by the load thread that
// owns it. step() never blocks for long (it reads what has arrived and sends what is due), so one thread can
// drive dozens of connections. Each connection checks the gateway's answers itself and records what it saw in its
// own SoakTally.
// Thread-safety: every call from the owning load thread; tally() after that thread has joined.
#pragma once

#include <chrono>

#include "tests/soak/soak_tally.h"

namespace aw::test {

using SteadyTime = std::chrono::steady_clock::time_point;

class LoadConnection {
 public:
  virtual ~LoadConnection() = default;

  // Reads what arrived, checks it, and sends or reconnects when it is due at `now`.
  virtual void step(SteadyTime now) = 0;
  // The load is over: start nothing new, keep reading. True once nothing is in flight any more (a sender: every
  // message it sent reached a terminal status), so the connection can be closed.
  virtual bool drain(SteadyTime now) = 0;
  // Closes the connection (closing handshake) and records whatever is still unanswered as violations.
  virtual void finish() = 0;

  SoakTally& tally() { return tally_; }

 protected:
  SoakTally tally_;
};

}  // namespace aw::test
