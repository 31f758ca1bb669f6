// ProvidersFixture: the fixture of the provider integration suites. It runs the real aw-fake-llm (through
// FakeLlmFixture) and the real provider stack made by make_provider_client (CpprestStreamClient over real HTTP,
// retries, limiter), pointed at the fake with the base-URL variables of agent-runtime.md §7.1.
// call() runs one LlmClient::complete and records each delta with its arrival time.
// Thread-safety: one fixture per test case; call() may run on several threads at once (each with its own Call).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "processor/llm/llm_client.h"
#include "processor/providers/provider_settings.h"
#include "tests/integration/processor/fake_llm_fixture.h"

namespace aw::test {

// One complete() call and what it produced.
struct ProviderCall {
  processor::LlmResult result;
  std::vector<std::string> deltas;
  std::vector<std::chrono::steady_clock::time_point> delta_times;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point finished;

  std::chrono::milliseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(finished - started);
  }
};

// Set by a call's on_delta on the call's thread; another thread can wait for the first delta.
class DeltaSignal {
 public:
  void notify();
  // True once a delta arrived; false after `timeout` without one.
  bool wait(std::chrono::milliseconds timeout);

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool seen_ = false;
};

class ProvidersFixture : public FakeLlmFixture {
 public:
  // Settings whose providers all point at the running fake: openai, xai, openai-compatible, ollama, anthropic,
  // google (azure's endpoint is fixed to *.openai.azure.com, so it has no fake). Retries wait 10 ms.
  processor::providers::ProviderSettings settings_for_fake() const;

  // Makes the client (make_provider_client) from `settings`.
  void make_client(const processor::providers::ProviderSettings& settings);
  processor::LlmClient& client() { return *client_; }

  // One request with a single user message `text`.
  ProviderCall call(const std::string& provider, const std::string& text, bool stream = true,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(10000),
                    const processor::CancelToken& cancel = processor::CancelToken(), DeltaSignal* first_delta = nullptr,
                    const std::string& model = "test-model");

 private:
  std::unique_ptr<processor::LlmClient> client_;
};

}  // namespace aw::test
