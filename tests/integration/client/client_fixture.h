// Shared pieces of the client tests: a gateway per test, client options pointing at it, and a thread-safe frame
// recorder that tests wait on (condition variable with a deadline, no sleeps).
// Thread-safety: Recorder may be fed from the client's io thread and read from the test thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/client.h"
#include "tests/support/gateway_process.h"

namespace aw::test {

std::unique_ptr<GatewayProcess> start_gateway(EnvMap env = {});
client::ClientOptions options_for(const GatewayProcess& gw);

class Recorder {
 public:
  void add(const client::ServerFrame& f);
  // Waits until pred holds over the recorded frames (true) or the timeout passes (false).
  bool wait(const std::function<bool(const std::vector<client::ServerFrame>&)>& pred, Millis timeout = kDefaultTimeout);
  std::vector<client::ServerFrame> frames() const;
  std::size_t count() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<client::ServerFrame> frames_;
};

}  // namespace aw::test
