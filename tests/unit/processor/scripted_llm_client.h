// ScriptedLlmClient: a fake LlmClient for runtime tests. It records every request and answers from a script keyed
// by the request's model (tests give each agent its own model), delivering scripted deltas on the calling thread
// exactly as a provider would, then succeeding, failing, or blocking until the request's CancelToken fires.
// Thread-safety: complete() may be called from any thread; the script is set up before the run starts.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "processor/llm/llm_client.h"

namespace aw::processor::testing {

struct ScriptedReply {
  std::vector<std::string> deltas;
  std::optional<std::string> error;  // fail with this text after the deltas
  std::optional<LlmUsage> usage;
  // After the deltas (and after `after_deltas`), wait until the token is cancelled and fail with its reason, as a
  // provider does when its connection is closed. A safety limit keeps a broken test from hanging.
  bool block_until_cancelled = false;
  std::function<void()> after_deltas;  // runs on the request's thread, e.g. to cancel the run from another thread
};

// A reply streamed in pieces of at most 4 bytes (so every reply yields several chunks).
inline ScriptedReply text_reply(const std::string& text) {
  ScriptedReply reply;
  for (std::size_t i = 0; i < text.size(); i += 4) reply.deltas.push_back(text.substr(i, 4));
  return reply;
}

inline ScriptedReply error_reply(std::string error) {
  ScriptedReply reply;
  reply.error = std::move(error);
  return reply;
}

class ScriptedLlmClient : public LlmClient {
 public:
  static constexpr std::chrono::seconds kBlockSafetyLimit{10};

  // Replies for requests with this model, in order; the last one repeats for later requests.
  void script(const std::string& model, std::vector<ScriptedReply> replies) {
    std::lock_guard<std::mutex> lock(mutex_);
    scripts_[model] = {std::move(replies), 0};
  }

  std::vector<LlmRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

  std::vector<LlmRequest> requests_for(const std::string& model) const {
    std::vector<LlmRequest> out;
    for (auto& r : requests()) {
      if (r.model == model) out.push_back(r);
    }
    return out;
  }

  // LlmClient
  LlmResult complete(const LlmRequest& request, const std::function<void(std::string_view)>& on_delta,
                     const CancelToken& cancel) override {
    ScriptedReply reply = next_reply(request);
    LlmResult result;
    for (const auto& delta : reply.deltas) {
      if (cancel.is_cancelled()) break;
      on_delta(delta);
      result.text += delta;
      result.any_delta = true;
    }
    if (reply.after_deltas) reply.after_deltas();
    if (reply.block_until_cancelled) {
      wait_for_cancel(cancel);
      result.ok = false;
      result.error_text = cancel.is_cancelled() ? cancel.reason() : "test: never cancelled";
      return result;
    }
    if (reply.error) {
      result.error_text = *reply.error;
      return result;
    }
    result.ok = true;
    result.usage = reply.usage;
    return result;
  }

 private:
  struct Script {
    std::vector<ScriptedReply> replies;
    std::size_t next = 0;
  };

  ScriptedReply next_reply(const LlmRequest& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    auto it = scripts_.find(request.model);
    if (it == scripts_.end() || it->second.replies.empty()) return error_reply("test: no script for " + request.model);
    Script& s = it->second;
    ScriptedReply reply = s.replies[std::min(s.next, s.replies.size() - 1)];
    ++s.next;
    return reply;
  }

  static void wait_for_cancel(const CancelToken& cancel) {
    struct Waiter {
      std::mutex mutex;
      std::condition_variable cv;
      bool fired = false;
    };
    auto waiter = std::make_shared<Waiter>();
    CancelToken token = cancel;  // a handle on the same state
    const std::uint64_t id = token.on_cancel([waiter] {
      std::lock_guard<std::mutex> lock(waiter->mutex);
      waiter->fired = true;
      waiter->cv.notify_all();
    });
    std::unique_lock<std::mutex> lock(waiter->mutex);
    waiter->cv.wait_for(lock, kBlockSafetyLimit, [&] { return waiter->fired; });
    lock.unlock();
    token.remove_callback(id);
  }

  mutable std::mutex mutex_;  // guards scripts_ and requests_
  std::map<std::string, Script> scripts_;
  std::vector<LlmRequest> requests_;
};

}  // namespace aw::processor::testing
