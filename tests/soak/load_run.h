// LoadRun: one phase of the soak load. It builds the connections (70 % Subscriber, 15 % Sender, 15 % Abuser,
// interleaved), spreads them over a few client threads, and runs them until stop(); then every connection drains
// (senders wait for their last completions) and closes, the threads join, and the tallies are merged.
// Each thread steps its connections in rounds with a short pause between rounds (load shape, not
// synchronisation: every check waits for a frame or a deadline).
// Thread-safety: start(), stop_and_join() and tally() from the one test thread; the connections live on their
// threads in between.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/soak/load_connection.h"
#include "tests/soak/soak_tally.h"
#include "tests/support/wait.h"

namespace aw::test {

struct LoadPlan {
  int port = 0;  // the gateway's WebSocket port
  // The worlds to spread the load over (each with an agent): world id -> its current chat id.
  std::map<std::string, std::string> world_chats;
  int connections = 200;
  int threads = 4;
  std::size_t max_frame_bytes = 0;  // the gateway's AW_MAX_FRAME_BYTES
  int rate_limit_burst = 0;         // the gateway's AW_RATE_LIMIT_BURST
  std::string phase;                // names the phase in message ids ("warm", "main")
  std::uint32_t seed = 0;
};

class LoadRun {
 public:
  explicit LoadRun(LoadPlan plan);
  // Joins the threads if stop_and_join() was not called.
  ~LoadRun();
  LoadRun(const LoadRun&) = delete;
  LoadRun& operator=(const LoadRun&) = delete;

  // Starts the client threads; connections open over the first 2 s.
  void start();
  // Ends the load: each connection drains for at most `drain_timeout` (then its unfinished work is reported as
  // violations), closes, and the threads join.
  void stop_and_join(Millis drain_timeout);
  // Requires: stop_and_join() has returned.
  const SoakTally& tally() const { return tally_; }

 private:
  void run_thread(std::vector<LoadConnection*> connections);

  const LoadPlan plan_;
  std::vector<std::unique_ptr<LoadConnection>> connections_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> drain_timeout_ms_{0};  // written before stopping_ is set
  SoakTally tally_;
};

}  // namespace aw::test
