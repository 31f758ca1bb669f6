// LlmClient: the one interface between the agent runtime and the LLM providers (agent-runtime.md §7).
// The runtime builds an LlmRequest (provider-neutral chat messages); a provider implementation turns it into its
// HTTP request, streams the answer and reports each text delta as it arrives.
//
// Threading model: a run executes on its own worker thread, and stream() BLOCKS that thread until the request ends,
// calling on_delta on that same thread as bytes arrive. So a run's state needs no locks and the order of deltas is
// the order of calls. cancel() on the CancelToken may be called from any thread; it aborts the in-flight HTTP
// request at once and stream() then returns the "Cancelled" (or the token's reason) error.
// Thread-safety: implementations are safe to call from several run threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace aw::processor {

struct LlmMessage {
  std::string role;  // "system" | "user" | "assistant"
  std::string content;
};

struct LlmRequest {
  std::string provider;  // openai | azure | xai | openai-compatible | ollama | anthropic | google
  std::string model;
  std::vector<LlmMessage> messages;  // system first when present, then the history, then the trigger
  std::optional<double> temperature;
  std::optional<std::int64_t> max_tokens;
  bool stream = true;                         // false only for chat titles (agent-runtime.md §7.6)
  std::chrono::milliseconds timeout{120000};  // AW_LLM_TIMEOUT_MS: from send to end of stream
};

struct LlmUsage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t total_tokens = 0;
};

// The outcome of one request. On failure `error_text` is the text clients see on SSE `error`
// (agent-runtime.md §7.4): "401 Incorrect API key provided", "Request timed out.", "Connection error.",
// "Invalid response from <provider>: <detail>", "No configuration found for <provider> provider.", "Cancelled".
struct LlmResult {
  bool ok = false;
  std::string text;               // the whole reply (concatenated deltas), also for non-streaming calls
  std::optional<LlmUsage> usage;  // when the provider reported it
  std::string error_text;         // when !ok
  bool any_delta = false;         // at least one text delta was delivered (retries are no longer allowed)
};

// Aborts a request from any thread. Shared by the run and the provider; cheap to copy.
class CancelToken {
 public:
  CancelToken() : state_(std::make_shared<State>()) {}
  // Marks the token cancelled with the error text to report ("Cancelled", "Run timed out after 600 s") and runs
  // the registered abort callbacks once.
  void cancel(std::string reason);
  bool is_cancelled() const { return state_->cancelled.load(); }
  std::string reason() const;
  // Registers an abort callback (e.g. closing an HTTP connection); runs at once if already cancelled.
  // Returns an id for remove_callback.
  std::uint64_t on_cancel(std::function<void()> callback);
  void remove_callback(std::uint64_t id);

 private:
  struct State {
    std::atomic<bool> cancelled{false};
    std::mutex mutex;  // guards reason, callbacks, next_id
    std::string reason;
    std::vector<std::pair<std::uint64_t, std::function<void()>>> callbacks;
    std::uint64_t next_id = 1;
  };
  std::shared_ptr<State> state_;
};

class LlmClient {
 public:
  virtual ~LlmClient() = default;
  // Sends the request and blocks until it ends (success, error, timeout or cancel), with retries before the first
  // delta (agent-runtime.md §7.4). on_delta receives each non-empty text delta, on the calling thread.
  virtual LlmResult complete(const LlmRequest& request, const std::function<void(std::string_view)>& on_delta,
                             const CancelToken& cancel) = 0;
};

}  // namespace aw::processor
