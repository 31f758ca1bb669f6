// ConcurrencyLimitedClient: an LlmClient decorator that lets at most AW_LLM_CONCURRENCY requests of this process
// run at once (agent-runtime.md §4.2). Further requests wait in FIFO order; with AW_LLM_QUEUE_MAX already waiting,
// a request fails at once with "LLM queue is full (<n> items). Please try again later.". A waiting request whose
// token is cancelled leaves the queue at once with the token's reason.
// A request holds its slot for the whole complete() call, retries and their waits included.
// Thread-safety: complete() may run on several threads at once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

#include "processor/llm/llm_client.h"

namespace aw::processor::providers {

class ConcurrencyLimitedClient : public LlmClient {
 public:
  // Requires: max_in_flight ≥ 1, max_waiting ≥ 0.
  ConcurrencyLimitedClient(std::unique_ptr<LlmClient> inner, int max_in_flight, int max_waiting);
  ConcurrencyLimitedClient(const ConcurrencyLimitedClient&) = delete;
  ConcurrencyLimitedClient& operator=(const ConcurrencyLimitedClient&) = delete;

  // LlmClient
  LlmResult complete(const LlmRequest& request, const std::function<void(std::string_view)>& on_delta,
                     const CancelToken& cancel) override;

  // Requests running and waiting now (tests wait on these instead of sleeping).
  int in_flight() const;
  int waiting() const;

 private:
  // Shared with cancel callbacks, which may run after a request left.
  struct State {
    State(int in_flight_limit, int waiting_limit) : max_in_flight(in_flight_limit), max_waiting(waiting_limit) {}
    const int max_in_flight;
    const int max_waiting;
    mutable std::mutex mutex;  // guards everything below
    std::condition_variable changed;
    int in_flight = 0;
    std::deque<std::uint64_t> queue;  // tickets of waiting requests, oldest first
    std::uint64_t next_ticket = 1;
  };

  const std::unique_ptr<LlmClient> inner_;
  const std::shared_ptr<State> state_;
};

}  // namespace aw::processor::providers
