#include "tests/integration/processor/scripted_gateway.h"

#include <thread>

#include <boost/test/unit_test.hpp>
#include <zmq_addon.hpp>

namespace aw::test {
namespace {

using Clock = std::chrono::steady_clock;

std::string bind_loopback(zmq::socket_t& socket) {
  socket.set(zmq::sockopt::linger, 0);
  socket.bind("tcp://127.0.0.1:*");
  return socket.get(zmq::sockopt::last_endpoint);
}

}  // namespace

ScriptedGateway::ScriptedGateway() {
  work_.set(zmq::sockopt::sndhwm, 1);
  events_.set(zmq::sockopt::subscribe, "");
  events_.set(zmq::sockopt::rcvhwm, 100000);
  work_endpoint_ = bind_loopback(work_);
  events_endpoint_ = bind_loopback(events_);
  ctl_endpoint_ = bind_loopback(ctl_);
}

ScriptedGateway::~ScriptedGateway() = default;

std::map<std::string, std::string> ScriptedGateway::env() const {
  return {{"AW_BUS_WORK", work_endpoint_}, {"AW_BUS_EVENTS", events_endpoint_}, {"AW_BUS_CTL", ctl_endpoint_}};
}

std::optional<Received> ScriptedGateway::read_one(std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{events_.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, timeout) == 0) return std::nullopt;
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(events_, std::back_inserter(parts), zmq::recv_flags::dontwait)) return std::nullopt;
  BOOST_REQUIRE_EQUAL(parts.size(), 2u);
  const std::string topic = parts[0].to_string();
  const std::string body = parts[1].to_string();
  auto decoded = bus::decode(topic, body);
  BOOST_REQUIRE_MESSAGE(decoded.is_ok(), "invalid P->G frame [" + topic + "] " + body + ": " +
                                             (decoded.is_ok() ? std::string() : decoded.status().message()));
  received_.push_back(Received{topic, std::move(decoded.value())});
  return received_.back();
}

std::optional<Received> ScriptedGateway::wait_for(const std::function<bool(const Received&)>& match,
                                                  std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto r = read_one(left);
    if (r && match(*r)) return r;
  }
}

bool ScriptedGateway::push(const bus::Frame& frame) {
  if (!work_.send(zmq::buffer(frame.topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait)) return false;
  work_.send(zmq::buffer(frame.body), zmq::send_flags::none);  // the first part in, the rest follows atomically
  return true;
}

bool ScriptedGateway::push_within(const bus::Frame& frame, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!push(frame)) {
    if (Clock::now() >= deadline) return false;
    // No notification exists for "a PULL connected"; read our SUB meanwhile so nothing is lost and time passes.
    read_one(std::chrono::milliseconds(5));
  }
  return true;
}

void ScriptedGateway::publish(const bus::Frame& frame) { publish_raw(frame.topic, frame.body); }

void ScriptedGateway::publish_raw(const std::string& topic, const std::string& body) {
  ctl_.send(zmq::buffer(topic), zmq::send_flags::sndmore);
  ctl_.send(zmq::buffer(body), zmq::send_flags::none);
}

std::string kind(const Received& r) { return std::string(bus::kind_of(r.message)); }

bus::Work make_work(const std::string& world_id, const std::string& run_id, const std::string& model,
                    std::int64_t deadline_ms) {
  bus::Work w;
  w.dispatch_id = "d-" + run_id;
  w.world_id = world_id;
  w.run_id = run_id;
  w.attempt = 1;
  w.chat_id = "c1";
  w.activity_id = 1;
  w.heartbeat_ms = 200;
  w.lease_ms = 600;
  w.deadline_ms = deadline_ms;
  w.history_window = 10;
  w.trigger = bus::WorkTrigger{run_id, "Hello agents", "human", "2025-11-02T12:00:00.000Z"};
  w.world = bus::WorkWorld{world_id, "World", 5, std::nullopt, std::nullopt};
  w.chat = bus::WorkChat{"c1", "New Chat"};
  bus::WorkAgent a;
  a.id = "a1";
  a.name = "Agent A1";
  a.type = "default";
  a.provider = "openai-compatible";
  a.model = model;
  a.system_prompt = "You are A1.";
  a.last_active = "2025-11-02T11:00:00.000Z";
  a.rev = 7;
  w.agents.push_back(a);
  return w;
}

}  // namespace aw::test
