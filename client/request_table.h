// RequestTable: requests in flight, keyed by the requestId the client put on the frame (ws-protocol.md §4).
// A request completes on the first matching frame: its answer (`subscribed`, `unsubscribed`, `queued`, `success`,
// `authenticated`, `pong`) resolves it; an `error` frame or a `status:error` with its requestId fails it at once.
// A request that gets neither by its deadline fails with code `timeout`; one still open when the connection drops
// fails with code `disconnected` (its answer can no longer come). Every path erases the entry: nothing leaks.
// Thread-safety: none; owned by the client's io thread. Callbacks are returned, not called, so that the caller
// runs them after its own bookkeeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/server_frame.h"
#include "common/status.h"

namespace aw::client {

using RequestCallback = std::function<void(Result<ServerFrame>)>;

class RequestTable {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Completion = std::pair<RequestCallback, Result<ServerFrame>>;

  // A fresh requestId ("c1", "c2", ...).
  std::string next_id();
  void add(const std::string& id, RequestCallback callback, TimePoint deadline);

  // Completes the request the frame answers, if any: the callback with its result, to be run by the caller.
  std::optional<Completion> match(const ServerFrame& frame);
  // Fails every request whose deadline has passed (code `timeout`).
  std::vector<Completion> expire(TimePoint now);
  // Fails every request (code, message): the connection dropped or the client is closing.
  std::vector<Completion> fail_all(const std::string& code, const std::string& message);
  // The earliest deadline, nullopt when nothing is in flight.
  std::optional<TimePoint> next_deadline() const;
  std::size_t size() const { return pending_.size(); }

 private:
  struct Pending {
    RequestCallback callback;
    TimePoint deadline;
  };
  std::map<std::string, Pending> pending_;
  std::uint64_t counter_ = 0;
};

}  // namespace aw::client
