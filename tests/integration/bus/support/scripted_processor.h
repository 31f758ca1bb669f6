// ScriptedProcessor: a processor played by the test with cppzmq (bus-protocol.md §1-§8), driving a real aw-gateway
// message by message: PUB to the gateway's events endpoint, SUB to its ctl endpoint (topic ctl.<id>), PULL from its
// work endpoint once connect_work() is called. Every frame it sends is built with the bus codec, and every frame it
// receives is decoded with it, so the gateway's output is schema-checked too.
// Heartbeats: while auto-heartbeat is on (after handshake()), every wait sends `hb` (slots, runs as set) each
// heartbeat period, so the gateway keeps the processor connected and its leases renewed.
// Thread-safety: one test thread.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "common/bus/bus_codec.h"
#include "common/bus/curve_keys.h"
#include "tests/support/wait.h"

namespace aw::test {

struct ScriptedProcessorOptions {
  std::string events;  // the gateway's AW_BUS_EVENTS
  std::string ctl;     // AW_BUS_CTL
  std::string work;    // AW_BUS_WORK
  std::string id;      // empty: "scripted-<random>"
  std::int64_t v_min = 1;
  std::int64_t v_max = 1;
  std::int64_t slots = 1;
  std::int64_t heartbeat_ms = 200;
  std::optional<aw::bus::CurveClientKeys> curve;  // CURVE client keys for every socket (a CURVE gateway)
};

class ScriptedProcessor {
 public:
  explicit ScriptedProcessor(ScriptedProcessorOptions options);
  ~ScriptedProcessor();
  ScriptedProcessor(const ScriptedProcessor&) = delete;
  ScriptedProcessor& operator=(const ScriptedProcessor&) = delete;

  const std::string& id() const { return options_.id; }

  // Sends hello every 100 ms until the welcome arrives (nullopt on timeout); then auto-heartbeat is on.
  std::optional<aw::bus::Welcome> handshake(Millis timeout = Millis(5000));
  // Connects the work PULL socket (RCVHWM 1).
  void connect_work();

  void send(const aw::bus::BusMessage& message);
  void send_raw(const std::string& topic, const std::string& body);

  void set_auto_heartbeat(bool on) { auto_heartbeat_ = on; }
  void set_slots(std::int64_t slots) { slots_ = slots; }
  void set_runs(std::vector<aw::bus::RunRef> runs) { runs_ = std::move(runs); }
  void heartbeat();

  // The next work item (nullopt on timeout). A `title` read meanwhile is kept for next_title().
  std::optional<aw::bus::Work> next_work(Millis timeout = Millis(5000));
  // The next title job (nullopt on timeout). A `work` read meanwhile is kept for next_work().
  std::optional<aw::bus::Title> next_title(Millis timeout = Millis(5000));
  // The first ctl message for which `predicate` holds; the others stay queued in order.
  std::optional<aw::bus::BusMessage> wait_ctl(const std::function<bool(const aw::bus::BusMessage&)>& predicate,
                                              Millis timeout = Millis(5000));
  // Waits `span` while heart-beating and collects every ctl message (for "nothing arrives" assertions).
  std::vector<aw::bus::BusMessage> collect_ctl(Millis span);

  // accept / commit built from a work item; events with the next index of that attempt.
  void accept(const aw::bus::Work& work);
  void event(const aw::bus::Work& work, std::int64_t index, const std::string& event_type,
             const std::string& payload_json);
  // A commit with one reply message `reply_id` (and its memory row for the first agent) and outcome `outcome`.
  aw::bus::Commit make_commit(const aw::bus::Work& work, std::int64_t last_index, const std::string& reply_id,
                              const std::string& content,
                              aw::bus::CommitOutcome outcome = aw::bus::CommitOutcome::Completed);

 private:
  void service(Millis budget);  // receives ctl (and sends hb when due) for up to `budget`
  void receive_ctl_nonblocking();
  // Reads one frame from the work socket into works_ or titles_ (false when none arrived within one slice).
  bool receive_work_slice();

  ScriptedProcessorOptions options_;
  zmq::context_t context_;
  zmq::socket_t events_;
  zmq::socket_t ctl_;
  std::unique_ptr<zmq::socket_t> work_;
  std::deque<aw::bus::BusMessage> ctl_queue_;
  std::deque<aw::bus::Work> works_;
  std::deque<aw::bus::Title> titles_;
  bool auto_heartbeat_ = false;
  std::int64_t slots_;
  std::vector<aw::bus::RunRef> runs_;
  Clock::time_point next_hb_ = Clock::now();
};

// Typed views of a ctl message (nullptr when of another kind).
template <typename T>
const T* as(const aw::bus::BusMessage& m) {
  return std::get_if<T>(&m);
}

}  // namespace aw::test
