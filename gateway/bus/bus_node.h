// BusNode: the gateway's ZeroMQ sockets (bus-protocol.md §1, §10) and the bus reader thread.
//
// Socket ownership (zmq sockets are not thread-safe; each is used by exactly one thread at a time):
// - reader thread: events SUB (bound, subscribed to all, RCVHWM 100000), admin REP (AW_ADMIN_BIND, optional) and,
//   with CURVE, the ZAP handler's REP on inproc://zeromq.zap.01 (bound first and closed last, so that no CURVE
//   handshake ever runs without it: libzmq admits every client when no ZAP handler is bound);
// - loop thread (websocketpp's): work PUSH (SNDHWM 1), ctl PUB (SNDHWM 100000) and tap XPUB (AW_TAP_BIND, optional,
//   SNDHWM 10000), through push_work(), publish_ctl() and publish_tap();
// - open() and close() run on the main thread before the reader starts and after it (and the loop) ended.
// Every socket has LINGER 1000 ms, so closing never hangs longer than that.
//
// The reader thread only moves frames into the loop: it decodes each events frame with aw::bus::decode (counting
// `invalid`/`version` drops), hands the decoded messages to the loop through an InboundQueue (one drain posted at a
// time: what arrives while the loop is busy joins the next batch), posts a tick every tick period (never more
// than one outstanding), and for each admin request posts the handler to the loop and waits for its answer (at
// most kAdminTimeoutMs; then it answers an error). With CURVE (curve_auth.h) every socket is a CURVE server and
// the reader answers ZAP requests itself (never the loop): a refusal is logged (at most once per key per
// kAuthLogIntervalMs) and counted through InboundBatch::auth_denied; each admin request carries the caller's key.
// Handshakes libzmq refuses before ZAP (a client without CURVE: mechanism mismatch; a wrong server key) are seen
// through a socket monitor on each CURVE socket (ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL and _NO_DETAIL: libzmq 4.3.4
// reports a mechanism mismatch as either, depending on which side notices first; polled by the reader) and counted
// the same way. Refusals by ZAP (ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) are not monitored: serve_zap() counts them.
// Thread-safety: as above; start()/stop() from the main thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <zmq.hpp>

#include "common/bus/bus_codec.h"
#include "common/log.h"
#include "common/status.h"
#include "gateway/bus/endpoint_policy.h"
#include "gateway/bus/inbound_queue.h"

namespace aw::gateway::bus {

// Who sent an admin request: the CURVE public key the ZAP handler admitted (empty without CURVE) and whether it is
// in AW_ADMIN_CURVE_CLIENTS (mutating ops allowed).
struct AdminCaller {
  std::string curve_key;
  bool may_mutate = false;
};

struct BusNodeHandlers {
  std::function<void(InboundBatch&&)> on_batch;                                 // loop thread
  std::function<void()> on_tick;                                                // loop thread
  std::function<std::string(const std::string&, const AdminCaller&)> on_admin;  // loop thread: request -> reply
  std::function<void(std::function<void()>)> post_to_loop;                      // any thread (WsServer::post)
};

class BusNode {
 public:
  // Time the reader waits for the loop to answer an admin request.
  static constexpr std::int64_t kAdminTimeoutMs = 2000;
  // Frames read from SUB before a batch is posted.
  static constexpr std::size_t kMaxBatch = 512;
  // A refused client retries its handshake every ~100 ms (libzmq's reconnect interval): log one line per key and
  // domain at most this often; the counter still sees every refusal.
  static constexpr std::int64_t kAuthLogIntervalMs = 10000;

  // Creates the context and binds every socket (as CURVE servers when endpoints.curve is set, after binding the ZAP
  // handler); fails with "bind_failed" naming the variable and endpoint.
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
  void post_drain();  // posts one InboundQueue drain to the loop
  void serve_admin();
  // A socket monitor's PAIR end (CURVE only): handshake failures libzmq detects before ZAP.
  struct Monitor {
    std::string variable;  // the monitored socket's endpoint variable, for the log
    std::unique_ptr<zmq::socket_t> socket;
  };
  void serve_zap();
  void serve_monitor(Monitor& monitor);
  void note_auth_denied(const std::string& domain, const std::string& key, const std::string& reason);
  void drain_tap_subscriptions();

  Logger logger_;
  zmq::context_t context_;
  std::unique_ptr<zmq::socket_t> work_;    // loop
  std::unique_ptr<zmq::socket_t> ctl_;     // loop
  std::unique_ptr<zmq::socket_t> tap_;     // loop
  std::unique_ptr<zmq::socket_t> events_;  // reader
  std::unique_ptr<zmq::socket_t> admin_;   // reader
  std::unique_ptr<zmq::socket_t> zap_;     // reader (opened and closed by the main thread, see above)
  std::vector<Monitor> monitors_;          // reader (opened by the main thread, closed by the reader)
  std::optional<CurveSettings> curve_;     // immutable after open()
  std::map<std::string, std::chrono::steady_clock::time_point> auth_logged_;  // reader: last refusal logged per key
  std::multiset<std::string> tap_topics_;                                     // loop: topics subscribed on the tap
  BusNodeHandlers handlers_;
  std::thread reader_;
  std::atomic<bool> stopping_{false};
  // Reader -> loop hand-over of decoded messages, coalesced while the loop is busy (inbound_queue.h).
  std::shared_ptr<InboundQueue> inbound_ = std::make_shared<InboundQueue>(kMaxBatch);
  std::shared_ptr<std::atomic<bool>> tick_pending_ = std::make_shared<std::atomic<bool>>(false);
  bool stopped_ = false;
};

}  // namespace aw::gateway::bus
