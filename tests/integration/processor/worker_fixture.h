// WorkerFixture: a real aw-processor in bus worker mode between a ScriptedGateway (the test plays the gateway) and
// a real aw-fake-llm (provider openai-compatible). Helpers do the handshake and drive one attempt.
// Thread-safety: one fixture per test case, on the test thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "tests/integration/processor/fake_llm_fixture.h"
#include "tests/integration/processor/scripted_gateway.h"
#include "tests/support/processor_process.h"

namespace aw::test {

// The heartbeatMs the scripted gateway announces in its welcome: short, so that re-sends show quickly.
inline constexpr std::int64_t kTestHeartbeatMs = 200;

class WorkerFixture : public FakeLlmFixture {
 public:
  // Starts aw-processor pointed at the gateway and the fake (start() the fake first). Does not wait for anything.
  void start_processor(std::map<std::string, std::string> extra_env = {});
  // Answers hello with welcome until the first hb arrives; returns the processor id (the case fails otherwise).
  std::string handshake();
  // Pushes `work`, waits for its accept and grants it.
  void push_and_grant(const bus::Work& work);
  // Waits for the commit of `run_id` (nullopt on timeout).
  std::optional<bus::Commit> wait_commit(const std::string& run_id,
                                         std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  // Waits for an event of `run_id` whose payload contains `needle`.
  bool wait_event(const std::string& run_id, const std::string& needle,
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  void send_ack(const bus::Commit& commit);
  void send_cancel(const bus::Work& work, bus::CancelReason reason, const std::string& topic = "");
  // The events of `run_id` received so far, in arrival order.
  std::vector<bus::Event> events_of(const std::string& run_id) const;
  // The free slots of the latest hb matching `slots` within `timeout`.
  bool wait_hb_slots(std::int64_t slots, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

  ScriptedGateway gateway;
  std::unique_ptr<ProcessorProcess> processor;
  std::string processor_id;
};

}  // namespace aw::test
