// DeferredOutput: a BusOutput decorator that holds back what must not leave before a transaction commits. While a
// hold is open (BusHub::on_batch: one SQLite transaction per batch of inbound bus messages), ctl messages
// (grant, deny, cancel, commit-ack, welcome), statuses and events are queued in call order; release() sends them in
// that order after the COMMIT, discard() drops them after a ROLLBACK. So nothing reaches a client or a processor
// that is not durable, and the order of seqs and statuses on the wire is the order they were written in.
// Work pushes pass through: push_work() must answer EAGAIN at once. BusHub makes none while the hold is open
// (Dispatcher::hold_pushes) and pumps after the COMMIT or rollback.
// SQLite may end the transaction by itself (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM roll it back): the hold's probe
// (`still_open`) tells. An item emitted once the probe says the transaction is gone comes from a write made after
// it, which committed on its own (components emit only after their write committed), or from no write at all: the
// held items (never durable) are dropped and this one and the next pass through until the next hold().
// Thread-safety: loop thread only.
#pragma once

#include <functional>
#include <utility>
#include <variant>
#include <vector>

#include "gateway/bus/bus_output.h"

namespace aw::gateway::bus {

class DeferredOutput final : public BusOutput {
 public:
  explicit DeferredOutput(BusOutput& inner) : inner_(inner) {}
  DeferredOutput(const DeferredOutput&) = delete;
  DeferredOutput& operator=(const DeferredOutput&) = delete;

  // Starts holding (not nested: one batch at a time); `still_open` (may be null) says whether the transaction the
  // hold waits for is still open.
  void hold(std::function<bool()> still_open = nullptr) {
    holding_ = true;
    still_open_ = std::move(still_open);
  }
  // Sends everything held, in call order, and stops holding.
  void release() {
    holding_ = false;
    still_open_ = nullptr;
    std::vector<Held> held = std::move(held_);
    held_.clear();
    for (Held& h : held) {
      std::visit(
          [this](auto& item) {
            using T = std::decay_t<decltype(item)>;
            if constexpr (std::is_same_v<T, aw::bus::Frame>) {
              inner_.publish_ctl(std::move(item));
            } else if constexpr (std::is_same_v<T, StatusBroadcast>) {
              inner_.broadcast_status(std::move(item));
            } else {
              inner_.broadcast_event(std::move(item));
            }
          },
          h);
    }
  }
  // Drops everything held (the transaction rolled back) and stops holding.
  void discard() {
    holding_ = false;
    held_.clear();
    still_open_ = nullptr;
  }
  bool holding() const { return holding_; }

  bool push_work(aw::bus::Frame&& frame) override { return inner_.push_work(std::move(frame)); }
  void publish_ctl(aw::bus::Frame&& frame) override { pass_or_hold(std::move(frame)); }
  void broadcast_status(StatusBroadcast&& status) override { pass_or_hold(std::move(status)); }
  void broadcast_event(PersistedFrame&& frame) override { pass_or_hold(std::move(frame)); }

 private:
  using Held = std::variant<aw::bus::Frame, StatusBroadcast, PersistedFrame>;

  template <typename T>
  void pass_or_hold(T&& item) {
    if (holding_) {
      if (!still_open_ || still_open_()) {
        held_.emplace_back(std::forward<T>(item));
        return;
      }
      discard();  // the transaction ended underneath: see the file comment
    }
    if constexpr (std::is_same_v<std::decay_t<T>, aw::bus::Frame>) {
      inner_.publish_ctl(std::forward<T>(item));
    } else if constexpr (std::is_same_v<std::decay_t<T>, StatusBroadcast>) {
      inner_.broadcast_status(std::forward<T>(item));
    } else {
      inner_.broadcast_event(std::forward<T>(item));
    }
  }

  BusOutput& inner_;
  bool holding_ = false;
  std::function<bool()> still_open_;
  std::vector<Held> held_;
};

}  // namespace aw::gateway::bus
