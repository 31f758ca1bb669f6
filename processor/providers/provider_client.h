// ProviderClient: the LlmClient of the LLM providers (agent-runtime.md §7). It picks the request's provider
// protocol, sends the request through an HttpStreamClient, streams the deltas out and applies the shared rules:
// the per-request timeout, retries before the first delta with backoff or Retry-After, and the error texts.
// Unknown or unconfigured providers fail with "No configuration found for <provider> provider.".
// Thread-safety: complete() may run on several threads at once; the client is immutable after construction.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/log.h"
#include "processor/llm/llm_client.h"
#include "processor/providers/http_stream_client.h"
#include "processor/providers/provider_protocol.h"
#include "processor/providers/retry_policy.h"

namespace aw::processor::providers {

// Configured provider name → its protocol. Several names may share one family's code (openai, azure, ...), each
// with its own endpoint and auth.
using ProtocolMap = std::map<std::string, std::unique_ptr<ProviderProtocol>, std::less<>>;

class ProviderClient : public LlmClient {
 public:
  // Returns a jitter value in [−1, 1] for each backoff; tests pass a fixed one.
  using JitterSource = std::function<double()>;

  // `http` is shared so that tests can keep a handle on their fake. An empty `jitter` uses a random source.
  ProviderClient(ProtocolMap protocols, std::shared_ptr<HttpStreamClient> http, RetryPolicy retry, Logger logger,
                 JitterSource jitter = {});
  ProviderClient(const ProviderClient&) = delete;
  ProviderClient& operator=(const ProviderClient&) = delete;

  // LlmClient
  LlmResult complete(const LlmRequest& request, const std::function<void(std::string_view)>& on_delta,
                     const CancelToken& cancel) override;

 private:
  const ProtocolMap protocols_;
  const std::shared_ptr<HttpStreamClient> http_;
  const RetryPolicy retry_;
  const Logger logger_;
  const JitterSource jitter_;
};

// Blocks for `delay` or until `cancel` fires; false when cancelled. The retry wait of ProviderClient: the run's
// thread is blocked by design (llm_client.h), and a cancel must still end the wait at once.
bool wait_unless_cancelled(std::chrono::milliseconds delay, const CancelToken& cancel);

}  // namespace aw::processor::providers
