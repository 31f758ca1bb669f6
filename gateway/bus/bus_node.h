// BusNode: the gateway's ZeroMQ sockets (bus-protocol.md §1, §10) and the bus reader thread.
//
// Socket ownership (zmq sockets are not thread-safe; each is used by exactly one thread at a time):
// - reader thread: events SUB (bound, subscribed to all, RCVHWM 100000) and admin REP (AW_ADMIN_BIND, optional);
// - loop thread (websocketpp's): work PUSH (SNDHWM 1), ctl PUB (SNDHWM 100000) and tap XPUB (AW_TAP_BIND, optional,
//   SNDHWM 10000), through push_work(), publish_ctl() and publish_tap();
// - open() and close() run on the main thread before the reader starts and after it (and the loop) ended.
// Every socket has LINGER 1000 ms, so closing never hangs longer than that.
//
// The reader thread only moves frames into the loop: it decodes each events frame with aw::bus::decode (counting
// `invalid`/`version` drops), posts the decoded messages in batches, posts a tick every tick period (never more
// than one outstanding), and for each admin request posts the handler to the loop and waits for its answer (at
// most kAdminTimeoutMs; then it answers an error).
// Thread-safety: as above; start()/stop() from the main thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "common/bus/bus_codec.h"
#include "common/log.h"
#include "common/status.h"
#include "gateway/bus/endpoint_policy.h"

namespace aw::gateway::bus {

// A batch of decoded P->G messages with the drops counted while reading it.
struct InboundBatch {
  std::vector<aw::bus::BusMessage> messages;
  std::int64_t dropped_invalid = 0;
  std::int64_t dropped_version = 0;
};

struct BusNodeHandlers {
  std::function<void(InboundBatch&&)> on_batch;             // loop thread
  std::function<void()> on_tick;                            // loop thread
  std::function<std::string(const std::string&)> on_admin;  // loop thread: request body -> reply body
  std::function<void(std::function<void()>)> post_to_loop;  // any thread (WsServer::post)
};

class BusNode {
 public:
  // Time the reader waits for the loop to answer an admin request.
  static constexpr std::int64_t kAdminTimeoutMs = 2000;
  // Frames read from SUB before a batch is posted.
  static constexpr std::size_t kMaxBatch = 512;

  // Creates the context and binds every socket; fails with "bind_failed" naming the variable and endpoint.
  static Result<std::unique_ptr<BusNode>> open(const BusEndpoints& endpoints, Logger logger);
  ~BusNode();
  BusNode(const BusNode&) = delete;
  BusNode& operator=(const BusNode&) = delete;

  // Starts the reader thread.
  void start(BusNodeHandlers handlers, std::chrono::milliseconds tick_period);
  // Stops and joins the reader thread, closes every socket and terminates the context. Idempotent.
  void stop();

  // Loop thread. Non-blocking send on PUSH; false on EAGAIN (no peer, or its queue is full).
  bool push_work(const aw::bus::Frame& frame);
  // Loop thread. Non-blocking publish on ctl PUB (a full queue drops, as PUB does).
  void publish_ctl(const aw::bus::Frame& frame);
  // Loop thread. Publishes [topic, body] on the tap while anyone is subscribed; no-op when the tap is off.
  void publish_tap(const std::string& topic, const std::string& body);
  bool tap_enabled() const { return tap_ != nullptr; }

 private:
  explicit BusNode(Logger logger) : logger_(std::move(logger)) {}
  void reader_main(std::chrono::milliseconds tick_period);
  void read_events();
  void serve_admin();
  void drain_tap_subscriptions();

  Logger logger_;
  zmq::context_t context_;
  std::unique_ptr<zmq::socket_t> work_;    // loop
  std::unique_ptr<zmq::socket_t> ctl_;     // loop
  std::unique_ptr<zmq::socket_t> tap_;     // loop
  std::unique_ptr<zmq::socket_t> events_;  // reader
  std::unique_ptr<zmq::socket_t> admin_;   // reader
  std::multiset<std::string> tap_topics_;  // loop: topics subscribed on the tap
  BusNodeHandlers handlers_;
  std::thread reader_;
  std::atomic<bool> stopping_{false};
  std::shared_ptr<std::atomic<bool>> tick_pending_ = std::make_shared<std::atomic<bool>>(false);
  bool stopped_ = false;
};

}  // namespace aw::gateway::bus
