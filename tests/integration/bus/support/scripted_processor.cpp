// A processor played by a test (see scripted_processor.h).
#include "tests/integration/bus/support/scripted_processor.h"

#include <iterator>
#include <random>
#include <stdexcept>

#include <zmq_addon.hpp>

#include "common/bus/curve_socket.h"

namespace aw::test {
namespace {

std::string random_suffix() {
  static std::mt19937_64 engine(std::random_device{}());
  const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  for (int i = 0; i < 6; ++i) s.push_back(digits[engine() % 36]);
  return s;
}

constexpr Millis kSlice(10);

}  // namespace

ScriptedProcessor::ScriptedProcessor(ScriptedProcessorOptions options)
    : options_(std::move(options)),
      events_(context_, zmq::socket_type::pub),
      ctl_(context_, zmq::socket_type::sub),
      slots_(options_.slots) {
  if (options_.id.empty()) options_.id = "scripted-" + random_suffix();
  events_.set(zmq::sockopt::linger, 0);
  events_.set(zmq::sockopt::sndhwm, 100000);
  ctl_.set(zmq::sockopt::linger, 0);
  ctl_.set(zmq::sockopt::subscribe, "ctl." + options_.id);
  if (options_.curve) {
    aw::bus::use_curve_client(events_, *options_.curve);
    aw::bus::use_curve_client(ctl_, *options_.curve);
  }
  events_.connect(options_.events);
  ctl_.connect(options_.ctl);
}

ScriptedProcessor::~ScriptedProcessor() = default;

void ScriptedProcessor::send_raw(const std::string& topic, const std::string& body) {
  events_.send(zmq::buffer(topic), zmq::send_flags::sndmore);
  events_.send(zmq::buffer(body), zmq::send_flags::none);
}

void ScriptedProcessor::send(const aw::bus::BusMessage& message) {
  aw::bus::Frame frame = aw::bus::encode(message);
  send_raw(frame.topic, frame.body);
}

void ScriptedProcessor::heartbeat() {
  send(aw::bus::Heartbeat{options_.id, options_.v_min, options_.v_max, slots_, runs_});
  next_hb_ = Clock::now() + Millis(options_.heartbeat_ms);
}

void ScriptedProcessor::receive_ctl_nonblocking() {
  std::vector<zmq::message_t> parts;
  for (;;) {
    parts.clear();
    if (!zmq::recv_multipart(ctl_, std::back_inserter(parts), zmq::recv_flags::dontwait)) return;
    if (parts.size() != 2) throw std::runtime_error("ctl frame with " + std::to_string(parts.size()) + " parts");
    // A prefix match of another processor's topic (ctl.p1 vs ctl.p12) is not ours (§1).
    if (parts[0].to_string() != "ctl." + options_.id) continue;
    auto decoded = aw::bus::decode(parts[0].to_string_view(), parts[1].to_string_view());
    if (!decoded) throw std::runtime_error("gateway sent an invalid ctl frame: " + decoded.status().message());
    ctl_queue_.push_back(std::move(decoded).value());
  }
}

void ScriptedProcessor::service(Millis budget) {
  if (auto_heartbeat_ && Clock::now() >= next_hb_) heartbeat();
  zmq::pollitem_t item{ctl_.handle(), 0, ZMQ_POLLIN, 0};
  zmq::poll(&item, 1, budget);
  receive_ctl_nonblocking();
}

std::optional<aw::bus::Welcome> ScriptedProcessor::handshake(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  auto next_hello = Clock::now();
  while (Clock::now() < deadline) {
    if (Clock::now() >= next_hello) {
      send(aw::bus::Hello{options_.id, options_.v_min, options_.v_max, slots_});
      next_hello = Clock::now() + Millis(100);
    }
    service(kSlice);
    for (auto it = ctl_queue_.begin(); it != ctl_queue_.end(); ++it) {
      if (const auto* w = as<aw::bus::Welcome>(*it)) {
        aw::bus::Welcome welcome = *w;
        ctl_queue_.erase(it);
        auto_heartbeat_ = true;
        return welcome;
      }
    }
  }
  return std::nullopt;
}

void ScriptedProcessor::connect_work() {
  work_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::pull);
  work_->set(zmq::sockopt::linger, 0);
  if (options_.curve) aw::bus::use_curve_client(*work_, *options_.curve);
  work_->set(zmq::sockopt::rcvhwm, 1);
  work_->connect(options_.work);
}

bool ScriptedProcessor::receive_work_slice() {
  if (!work_) throw std::logic_error("connect_work() first");
  if (auto_heartbeat_ && Clock::now() >= next_hb_) heartbeat();
  receive_ctl_nonblocking();
  zmq::pollitem_t item{work_->handle(), 0, ZMQ_POLLIN, 0};
  zmq::poll(&item, 1, kSlice);
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(*work_, std::back_inserter(parts), zmq::recv_flags::dontwait)) return false;
  if (parts.size() != 2) throw std::runtime_error("work frame with wrong part count");
  auto decoded = aw::bus::decode(parts[0].to_string_view(), parts[1].to_string_view());
  if (!decoded) throw std::runtime_error("gateway pushed an invalid work frame: " + decoded.status().message());
  if (const auto* work = as<aw::bus::Work>(decoded.value())) {
    works_.push_back(*work);
  } else if (const auto* title = as<aw::bus::Title>(decoded.value())) {
    titles_.push_back(*title);
  } else {
    throw std::runtime_error("unexpected kind on the work socket");
  }
  return true;
}

std::optional<aw::bus::Work> ScriptedProcessor::next_work(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  do {
    if (!works_.empty()) {
      aw::bus::Work work = std::move(works_.front());
      works_.pop_front();
      return work;
    }
    receive_work_slice();
  } while (Clock::now() < deadline || !works_.empty());
  return std::nullopt;
}

std::optional<aw::bus::Title> ScriptedProcessor::next_title(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  do {
    if (!titles_.empty()) {
      aw::bus::Title title = std::move(titles_.front());
      titles_.pop_front();
      return title;
    }
    receive_work_slice();
  } while (Clock::now() < deadline || !titles_.empty());
  return std::nullopt;
}

std::optional<aw::bus::BusMessage> ScriptedProcessor::wait_ctl(
    const std::function<bool(const aw::bus::BusMessage&)>& predicate, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  do {
    for (auto it = ctl_queue_.begin(); it != ctl_queue_.end(); ++it) {
      if (predicate(*it)) {
        aw::bus::BusMessage found = std::move(*it);
        ctl_queue_.erase(it);
        return found;
      }
    }
    service(kSlice);
  } while (Clock::now() < deadline);
  for (auto it = ctl_queue_.begin(); it != ctl_queue_.end(); ++it) {
    if (predicate(*it)) {
      aw::bus::BusMessage found = std::move(*it);
      ctl_queue_.erase(it);
      return found;
    }
  }
  return std::nullopt;
}

std::vector<aw::bus::BusMessage> ScriptedProcessor::collect_ctl(Millis span) {
  const auto deadline = Clock::now() + span;
  while (Clock::now() < deadline) service(kSlice);
  std::vector<aw::bus::BusMessage> out(std::make_move_iterator(ctl_queue_.begin()),
                                       std::make_move_iterator(ctl_queue_.end()));
  ctl_queue_.clear();
  return out;
}

void ScriptedProcessor::accept(const aw::bus::Work& work) {
  send(aw::bus::Accept{options_.id, work.world_id, work.run_id, work.attempt, work.dispatch_id});
}

void ScriptedProcessor::event(const aw::bus::Work& work, std::int64_t index, const std::string& event_type,
                              const std::string& payload_json) {
  aw::bus::Event e;
  e.processor_id = options_.id;
  e.world_id = work.world_id;
  e.chat_id = work.chat_id;
  e.run_id = work.run_id;
  e.attempt = work.attempt;
  e.index = index;
  e.event_type = event_type;
  e.payload_json = payload_json;
  send(e);
}

aw::bus::Commit ScriptedProcessor::make_commit(const aw::bus::Work& work, std::int64_t last_index,
                                               const std::string& reply_id, const std::string& content,
                                               aw::bus::CommitOutcome outcome) {
  aw::bus::Commit c;
  c.processor_id = options_.id;
  c.world_id = work.world_id;
  c.run_id = work.run_id;
  c.attempt = work.attempt;
  c.last_index = last_index;
  c.outcome = outcome;
  if (!reply_id.empty()) {
    const std::string sender = work.agents.empty() ? "agent" : work.agents.front().id;
    const std::string ts = "2026-01-01T00:00:01.000Z";
    aw::bus::CommitMessage m;
    m.message_id = reply_id;
    m.chat_id = work.chat_id;
    m.sender = sender;
    m.content = content;
    m.timestamp = ts;
    m.reply_to_message_id = work.run_id;
    std::string payload = R"({"sender":")" + sender + R"(","content":")" + content + R"(","timestamp":")" + ts +
                          R"(","messageId":")" + reply_id + R"(","chatId":")" + work.chat_id +
                          R"(","replyToMessageId":")" + work.run_id + R"("})";
    m.payload_json = payload;
    c.messages.push_back(std::move(m));
    if (!work.agents.empty()) {
      aw::bus::MemoryRow row;
      row.agent_id = sender;
      row.chat_id = work.chat_id;
      row.role = "assistant";
      row.content = content;
      row.sender = sender;
      row.message_id = reply_id;
      row.reply_to_message_id = work.run_id;
      row.created_at = ts;
      c.memory.push_back(std::move(row));
    }
  }
  return c;
}

}  // namespace aw::test
