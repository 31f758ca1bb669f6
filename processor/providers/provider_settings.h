// ProviderSettings: everything the LLM providers read from the processor's environment (agent-runtime.md §7.1,
// §13), read once at start-up. Tests build one by hand instead of setting environment variables.
// Thread-safety: a plain value; read from any thread after construction.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "processor/providers/retry_policy.h"

namespace aw::processor::providers {

// The provider variables that are set (OPENAI_API_KEY, AW_OPENAI_BASE_URL, ...), name → value. Which names exist
// is declared by each provider's registration (provider_registry.h). Holds keys: never log the values.
using ProviderVariables = std::map<std::string, std::string, std::less<>>;

struct ProviderSettings {
  // AW_LLM_TIMEOUT_MS (120000): total time of one HTTP request, from send to end of stream; generous because
  // long replies from slow models take minutes. The runtime copies it into LlmRequest::timeout for agent
  // responses (title jobs bring their own timeout).
  std::chrono::milliseconds request_timeout{120000};
  // AW_LLM_MAX_RETRIES (2) and AW_LLM_RETRY_BASE_MS (1000): retries of transient failures before the first delta.
  RetryPolicy retry;
  // AW_LLM_CONCURRENCY (4): LLM requests in flight in this process; provider rate limits are per key, so a few
  // processors with 4 each stay well under them.
  int concurrency = 4;
  // AW_LLM_QUEUE_MAX (100): requests waiting for a slot before new ones are refused.
  int queue_max = 100;
  // AW_HTTP_THREADS (2): threads of the HTTP client's pool (sockets and continuations of every LLM request in the
  // process). The I/O is asynchronous, so a few threads carry many streams; more threads only add wake-ups.
  int http_threads = 2;
  // AW_LLM_DRAIN_MS (50): after a stream's end marker, how long a request may read on to the body's end so that its
  // connection is kept alive for the next request; 0 closes it at once (a new connection per request).
  std::chrono::milliseconds drain_grace{50};
  // The provider variables of every registered provider that are set.
  ProviderVariables variables;

  // Reads all of the above. Fails with one line naming the variable when a number is out of range or a
  // *_BASE_URL is not an http:// or https:// URL.
  static Result<ProviderSettings> from_env();

  // variables[name], nullopt when unset.
  std::optional<std::string> variable(std::string_view name) const;
};

// A base URL without its trailing '/' characters ("http://h/v1/" and "http://h/v1" are the same endpoint).
std::string trim_base_url(std::string_view url);

}  // namespace aw::processor::providers
