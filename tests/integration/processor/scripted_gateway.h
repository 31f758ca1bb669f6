// ScriptedGateway: the gateway's three bus sockets played by a test with cppzmq, to drive a real aw-processor
// (bus-protocol.md §1): work PUSH (SNDHWM 1), events SUB (all topics) and ctl PUB, each bound to a free loopback
// port chosen by the OS (`tcp://127.0.0.1:*`). env() gives the AW_BUS_* variables that point a processor at it.
// Every P->G frame is decoded with the bus codec (so the test also checks that the processor emits valid bodies)
// and kept in arrival order; the wait functions read with a deadline, never sleep.
// Thread-safety: one test thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "common/bus/bus_codec.h"

namespace aw::test {

// A decoded P->G message with the topic it came on.
struct Received {
  std::string topic;
  bus::BusMessage message;
};

class ScriptedGateway {
 public:
  ScriptedGateway();
  ~ScriptedGateway();
  ScriptedGateway(const ScriptedGateway&) = delete;
  ScriptedGateway& operator=(const ScriptedGateway&) = delete;

  // AW_BUS_WORK / AW_BUS_EVENTS / AW_BUS_CTL of the bound sockets.
  std::map<std::string, std::string> env() const;

  // Reads until a message satisfies `match` (returned) or `timeout` passes (nullopt). Every message read is kept in
  // received(); invalid frames fail the test case.
  std::optional<Received> wait_for(const std::function<bool(const Received&)>& match,
                                   std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  // Every message read so far, in arrival order.
  const std::vector<Received>& received() const { return received_; }

  // PUSH without blocking; false on EAGAIN (no connected PULL, or its queue is full).
  bool push(const bus::Frame& frame);
  // PUSH, retrying until a PULL takes it or `timeout` passes.
  bool push_within(const bus::Frame& frame, std::chrono::milliseconds timeout);
  void publish(const bus::Frame& frame);
  void publish_raw(const std::string& topic, const std::string& body);

 private:
  std::optional<Received> read_one(std::chrono::milliseconds timeout);

  zmq::context_t context_{1};
  zmq::socket_t work_{context_, zmq::socket_type::push};
  zmq::socket_t events_{context_, zmq::socket_type::sub};
  zmq::socket_t ctl_{context_, zmq::socket_type::pub};
  std::string work_endpoint_;
  std::string events_endpoint_;
  std::string ctl_endpoint_;
  std::vector<Received> received_;
};

// The kind of a received message, e.g. "hb".
std::string kind(const Received& r);
template <typename T>
const T* as(const Received& r) {
  return std::get_if<T>(&r.message);
}

// A work item of world `world_id`, run `run_id`, with one agent `a1` (provider openai-compatible, model `model`).
bus::Work make_work(const std::string& world_id, const std::string& run_id, const std::string& model,
                    std::int64_t deadline_ms = 30000);

}  // namespace aw::test
