// The gateway's ZeroMQ sockets and reader thread (see bus_node.h). Only this file talks to libzmq.
#include "gateway/bus/bus_node.h"

#include <cstdio>
#include <cstring>
#include <future>
#include <iterator>

#include <zmq_addon.hpp>

#include "common/json.h"

namespace aw::gateway::bus {
namespace {

constexpr int kLingerMs = 1000;
constexpr int kEventsRcvHwm = 100000;
constexpr int kCtlSndHwm = 100000;
constexpr int kTapSndHwm = 10000;
// The reader's poll timeout upper bound: how fast it notices stop().
constexpr std::chrono::milliseconds kMaxPoll(100);
// Where libzmq sends ZAP requests (RFC 27); one handler per context.
constexpr const char* kZapEndpoint = "inproc://zeromq.zap.01";
// Polled by the reader: events, admin, ZAP and one monitor per bound socket (five).
constexpr std::size_t kMaxPollItems = 8;

std::string admin_error(const std::string& error) {
  std::string out = R"({"v":1,"kind":"admin-result","op":null,"ok":false,"error":)";
  json::append_quoted(out, error);
  out += '}';
  return out;
}

}  // namespace

Result<std::unique_ptr<BusNode>> BusNode::open(const BusEndpoints& endpoints, Logger logger) {
  std::unique_ptr<BusNode> node(new BusNode(std::move(logger)));
  node->curve_ = endpoints.curve;
  if (node->curve_) {
    // The ZAP handler first: a CURVE socket bound before it would admit any client that knows our public key.
    try {
      node->zap_ = std::make_unique<zmq::socket_t>(node->context_, zmq::socket_type::rep);
      node->zap_->set(zmq::sockopt::linger, 0);
      node->zap_->bind(kZapEndpoint);
    } catch (const zmq::error_t& e) {
      node->stop();
      return Status::error("bind_failed", std::string("cannot bind the ZAP handler ") + kZapEndpoint + ": " + e.what());
    }
  }
  auto make = [&](zmq::socket_type type, const char* variable, const std::string& endpoint,
                  std::unique_ptr<zmq::socket_t>& out) -> Status {
    try {
      auto socket = std::make_unique<zmq::socket_t>(node->context_, type);
      socket->set(zmq::sockopt::linger, kLingerMs);
      if (node->curve_) {
        socket->set(zmq::sockopt::curve_server, true);
        socket->set(zmq::sockopt::curve_secretkey, node->curve_->secret_key);
        socket->set(zmq::sockopt::zap_domain, type == zmq::socket_type::rep ? kZapDomainAdmin : kZapDomainBus);
      }
      if (type == zmq::socket_type::push) socket->set(zmq::sockopt::sndhwm, 1);
      if (type == zmq::socket_type::pub) socket->set(zmq::sockopt::sndhwm, kCtlSndHwm);
      if (type == zmq::socket_type::xpub) socket->set(zmq::sockopt::sndhwm, kTapSndHwm);
      if (type == zmq::socket_type::sub) {
        socket->set(zmq::sockopt::rcvhwm, kEventsRcvHwm);
        socket->set(zmq::sockopt::subscribe, "");
      }
      socket->bind(endpoint);
      if (node->curve_) {
        // Handshakes libzmq refuses before asking ZAP (a client without CURVE, a wrong server key) are seen only
        // here: counted with the ZAP refusals.
        Monitor monitor;
        monitor.variable = variable;
        const std::string inproc = std::string("inproc://aw-bus-monitor-") + variable;
        if (zmq_socket_monitor(socket->handle(), inproc.c_str(),
                               ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) != 0) {
          throw zmq::error_t();
        }
        monitor.socket = std::make_unique<zmq::socket_t>(node->context_, zmq::socket_type::pair);
        monitor.socket->set(zmq::sockopt::linger, 0);
        monitor.socket->connect(inproc);
        node->monitors_.push_back(std::move(monitor));
      }
      out = std::move(socket);
      return Status::ok();
    } catch (const zmq::error_t& e) {
      return Status::error("bind_failed", std::string("cannot bind ") + variable + "=" + endpoint + ": " + e.what());
    }
  };
  Status s = make(zmq::socket_type::push, "AW_BUS_WORK", endpoints.work, node->work_);
  if (s) s = make(zmq::socket_type::sub, "AW_BUS_EVENTS", endpoints.events, node->events_);
  if (s) s = make(zmq::socket_type::pub, "AW_BUS_CTL", endpoints.ctl, node->ctl_);
  if (s && !endpoints.tap.empty()) s = make(zmq::socket_type::xpub, "AW_TAP_BIND", endpoints.tap, node->tap_);
  if (s && !endpoints.admin.empty()) s = make(zmq::socket_type::rep, "AW_ADMIN_BIND", endpoints.admin, node->admin_);
  if (!s) {
    node->stop();
    return s;
  }
  return node;
}

BusNode::~BusNode() { stop(); }

void BusNode::start(BusNodeHandlers handlers, std::chrono::milliseconds tick_period) {
  handlers_ = std::move(handlers);
  reader_ = std::thread([this, tick_period] { reader_main(tick_period); });
}

void BusNode::stop() {
  if (stopped_) return;
  stopped_ = true;
  stopping_ = true;
  if (reader_.joinable()) reader_.join();
  // The loop has ended (or never ran): its sockets are closed here, after the reader closed its own, and the ZAP
  // handler last (the join above hands it back to this thread).
  monitors_.clear();
  for (auto* socket : {&work_, &ctl_, &tap_, &events_, &admin_, &zap_}) socket->reset();
  context_.close();
}

bool BusNode::push_work(const aw::bus::Frame& frame) {
  try {
    if (!work_->send(zmq::buffer(frame.topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) return false;
    // The second part of a multipart message cannot block once the first was queued.
    work_->send(zmq::buffer(frame.body), zmq::send_flags::dontwait);
    return true;
  } catch (const zmq::error_t& e) {
    logger_.error("bus: push failed", {{"error", e.what()}});
    return false;
  }
}

void BusNode::publish_ctl(const aw::bus::Frame& frame) {
  try {
    if (ctl_->send(zmq::buffer(frame.topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
      ctl_->send(zmq::buffer(frame.body), zmq::send_flags::dontwait);
    }
  } catch (const zmq::error_t& e) {
    logger_.error("bus: ctl publish failed", {{"error", e.what()}});
  }
}

void BusNode::drain_tap_subscriptions() {
  zmq::message_t msg;
  while (tap_->recv(msg, zmq::recv_flags::dontwait)) {
    if (msg.size() == 0) continue;
    const auto* data = static_cast<const char*>(msg.data());
    std::string topic(data + 1, msg.size() - 1);
    if (data[0] == 1) {
      tap_topics_.insert(std::move(topic));
    } else if (data[0] == 0) {
      auto it = tap_topics_.find(topic);
      if (it != tap_topics_.end()) tap_topics_.erase(it);
    }
  }
}

void BusNode::publish_tap(const std::string& topic, const std::string& body) {
  if (!tap_) return;
  try {
    drain_tap_subscriptions();
    if (tap_topics_.empty()) return;  // nobody listens: skip the copy (§10)
    if (tap_->send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) {
      tap_->send(zmq::buffer(body), zmq::send_flags::dontwait);
    }
  } catch (const zmq::error_t& e) {
    logger_.error("bus: tap publish failed", {{"error", e.what()}});
  }
}

void BusNode::read_events() {
  InboundBatch batch;
  std::vector<zmq::message_t> parts;
  while (batch.messages.size() < kMaxBatch) {
    parts.clear();
    auto received = zmq::recv_multipart(*events_, std::back_inserter(parts), zmq::recv_flags::dontwait);
    if (!received) break;
    if (parts.size() != 2) {
      ++batch.dropped_invalid;
      logger_.warn("bus: dropped a frame", {{"reason", "invalid"}, {"error", "expected [topic, json]"}});
      continue;
    }
    auto decoded = aw::bus::decode(parts[0].to_string_view(), parts[1].to_string_view());
    if (!decoded) {
      const bool version = decoded.status().code() == aw::bus::kDropVersion;
      ++(version ? batch.dropped_version : batch.dropped_invalid);
      logger_.warn("bus: dropped a frame", {{"reason", decoded.status().code()},
                                            {"topic", parts[0].to_string()},
                                            {"error", decoded.status().message()}});
      continue;
    }
    batch.messages.push_back(std::move(decoded).value());
  }
  if (batch.messages.empty() && batch.dropped_invalid == 0 && batch.dropped_version == 0) return;
  if (inbound_->add(std::move(batch))) post_drain();
}

void BusNode::post_drain() {
  handlers_.post_to_loop([this, inbound = inbound_] {
    InboundBatch batch = inbound->take();
    if (!batch.messages.empty() || batch.dropped_invalid != 0 || batch.dropped_version != 0 || batch.auth_denied != 0) {
      handlers_.on_batch(std::move(batch));
    }
    // What arrived while this batch was handled is the next batch (posted behind what the loop has queued).
    if (inbound->finish()) post_drain();
  });
}

void BusNode::serve_admin() {
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(*admin_, std::back_inserter(parts), zmq::recv_flags::dontwait)) return;
  std::string reply;
  if (parts.size() != 1) {
    reply = admin_error("expected one JSON frame");
  } else {
    AdminCaller caller;
    if (curve_) {
      // The ZAP handler set the user id to the admitted client's public key.
      if (const char* user_id = zmq_msg_gets(parts[0].handle(), "User-Id")) caller.curve_key = user_id;
      caller.may_mutate = !caller.curve_key.empty() && curve_->is_admin(caller.curve_key);
    }
    auto promise = std::make_shared<std::promise<std::string>>();
    auto answer = promise->get_future();
    auto request = std::make_shared<std::string>(parts[0].to_string());
    handlers_.post_to_loop(
        [this, promise, request, caller] { promise->set_value(handlers_.on_admin(*request, caller)); });
    if (answer.wait_for(std::chrono::milliseconds(kAdminTimeoutMs)) == std::future_status::ready) {
      reply = answer.get();
    } else {
      reply = admin_error("gateway busy or shutting down");
    }
  }
  admin_->send(zmq::buffer(reply), zmq::send_flags::dontwait);
}

void BusNode::serve_zap() {
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(*zap_, std::back_inserter(parts), zmq::recv_flags::dontwait)) return;
  std::vector<std::string_view> request;
  request.reserve(parts.size());
  for (const zmq::message_t& part : parts) request.push_back(part.to_string_view());
  const ZapAnswer answer = answer_zap(*curve_, request);
  if (!answer.verdict.admitted) note_auth_denied(answer.domain, answer.verdict.user_id, answer.verdict.reason);
  for (std::size_t i = 0; i < answer.frames.size(); ++i) {
    const auto more = i + 1 < answer.frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none;
    zap_->send(zmq::buffer(answer.frames[i]), more | zmq::send_flags::dontwait);
  }
}

void BusNode::serve_monitor(Monitor& monitor) {
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(*monitor.socket, std::back_inserter(parts), zmq::recv_flags::dontwait)) return;
  // A monitor event: frame 1 = uint16 event id + uint32 value (native order), frame 2 = the peer's endpoint.
  std::uint16_t event = 0;
  std::uint32_t value = 0;
  if (parts.empty() || parts[0].size() < sizeof event + sizeof value) return;
  std::memcpy(&event, parts[0].data(), sizeof event);
  std::memcpy(&value, static_cast<const char*>(parts[0].data()) + sizeof event, sizeof value);
  if (event != ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL && event != ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) return;
  // No key reached the ZAP handler. A client without CURVE is refused for the mechanism mismatch: libzmq reports a
  // protocol error (ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH) or, when the client hung up first, a failure
  // without detail (the value is then an errno); a wrong server key is a protocol error (its HELLO cannot be opened).
  char detail[64];
  if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) {
    std::snprintf(detail, sizeof detail, "libzmq protocol error 0x%08x", static_cast<unsigned>(value));
  } else {
    std::snprintf(detail, sizeof detail, "peer gone mid-handshake, errno %u", static_cast<unsigned>(value));
  }
  note_auth_denied(monitor.variable, "",
                   std::string("handshake failed before ZAP (") + detail + ")" +
                       (parts.size() > 1 ? ", " + parts[1].to_string() : ""));
}

void BusNode::note_auth_denied(const std::string& domain, const std::string& key, const std::string& reason) {
  const auto now = std::chrono::steady_clock::now();
  if (auth_logged_.size() > 1000) auth_logged_.clear();  // bounded: a flood of new keys only repeats lines
  auto [it, first] = auth_logged_.try_emplace(domain + " " + key, now);
  if (first || now - it->second >= std::chrono::milliseconds(kAuthLogIntervalMs)) {
    it->second = now;
    logger_.warn("bus: CURVE client refused", {{"domain", domain}, {"key", key}, {"reason", reason}});
  }
  auto batch = std::make_shared<InboundBatch>();
  batch->auth_denied = 1;
  handlers_.post_to_loop([this, batch] { handlers_.on_batch(std::move(*batch)); });
}

void BusNode::reader_main(std::chrono::milliseconds tick_period) {
  using Steady = std::chrono::steady_clock;
  auto next_tick = Steady::now() + tick_period;
  try {
    while (!stopping_) {
      zmq::pollitem_t items[kMaxPollItems] = {{events_->handle(), 0, ZMQ_POLLIN, 0}};
      std::size_t count = 1;
      std::size_t admin_index = 0;  // 0 = not polled
      std::size_t zap_index = 0;
      if (admin_) {
        admin_index = count;
        items[count++] = {admin_->handle(), 0, ZMQ_POLLIN, 0};
      }
      if (zap_) {
        zap_index = count;
        items[count++] = {zap_->handle(), 0, ZMQ_POLLIN, 0};
      }
      const std::size_t monitor_index = count;
      for (Monitor& monitor : monitors_) items[count++] = {monitor.socket->handle(), 0, ZMQ_POLLIN, 0};
      const auto now = Steady::now();
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - now);
      wait = std::max(std::chrono::milliseconds(0), std::min(wait, kMaxPoll));
      zmq::poll(items, count, wait);
      // ZAP first: a handshake waits for it, and an admitted processor's hello follows right after.
      if (zap_index != 0 && (items[zap_index].revents & ZMQ_POLLIN)) serve_zap();
      if (items[0].revents & ZMQ_POLLIN) read_events();
      if (admin_index != 0 && (items[admin_index].revents & ZMQ_POLLIN)) serve_admin();
      for (std::size_t i = 0; i < monitors_.size(); ++i) {
        if (items[monitor_index + i].revents & ZMQ_POLLIN) serve_monitor(monitors_[i]);
      }
      if (Steady::now() >= next_tick) {
        next_tick = Steady::now() + tick_period;
        if (!tick_pending_->exchange(true)) {
          handlers_.post_to_loop([this, pending = tick_pending_] {
            pending->store(false);
            handlers_.on_tick();
          });
        }
      }
    }
  } catch (const std::exception& e) {
    logger_.error("bus reader stopped by a fault", {{"error", e.what()}});
  }
  events_.reset();
  admin_.reset();
  monitors_.clear();
}

}  // namespace aw::gateway::bus
