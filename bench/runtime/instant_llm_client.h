// InstantLlmClient: an LlmClient that answers every request at once with the same scripted deltas, on the calling
// thread, as a provider would deliver them but with no HTTP and no parsing: what remains of a reply's cost is the
// runtime's own (routing, prompt, events, post-processing, commit).
// Thread-safety: complete() may be called from several threads at once (the deltas are immutable).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "processor/llm/llm_client.h"

namespace aw::bench::runtime {

class InstantLlmClient : public processor::LlmClient {
 public:
  explicit InstantLlmClient(std::vector<std::string> deltas) : deltas_(std::move(deltas)) {}

  // LlmClient
  processor::LlmResult complete(const processor::LlmRequest&, const std::function<void(std::string_view)>& on_delta,
                                const processor::CancelToken& cancel) override {
    processor::LlmResult result;
    for (const std::string& delta : deltas_) {
      if (cancel.is_cancelled()) break;
      on_delta(delta);
      result.text += delta;
    }
    result.any_delta = !result.text.empty();
    result.ok = true;
    return result;
  }

 private:
  const std::vector<std::string> deltas_;
};

}  // namespace aw::bench::runtime
