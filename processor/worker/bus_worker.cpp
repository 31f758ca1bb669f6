// The loop, the handshake, heartbeats and shutdown of BusWorker; work, runs and titles are in bus_worker_runs.cpp.
#include "processor/worker/bus_worker.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>

#include <zmq_addon.hpp>

#include "common/bus/bus_topics.h"
#include "common/bus/curve_socket.h"
#include "common/json.h"

namespace aw::processor::worker {
namespace {

constexpr int kEventsHwm = 100000;
constexpr int kCtlHwm = 100000;
constexpr int kWorkHwm = 1;
// Upper bound of one poll, so that a missed timer computation can never stall the loop for long.
constexpr std::chrono::milliseconds kMaxPollWait{1000};

// One `[topic, json]` frame from `socket` without blocking; nullopt when none waits. Frames of another shape are
// consumed and reported through `malformed`.
std::optional<bus::Frame> receive_frame(zmq::socket_t& socket, bool& malformed) {
  std::vector<zmq::message_t> parts;
  const auto received = zmq::recv_multipart(socket, std::back_inserter(parts), zmq::recv_flags::dontwait);
  malformed = false;
  if (!received) return std::nullopt;
  if (parts.size() != 2) {
    malformed = true;
    return bus::Frame{};
  }
  return bus::Frame{parts[0].to_string(), parts[1].to_string()};
}

}  // namespace

BusWorker::BusWorker(WorkerSettings settings, LlmClient& llm, RunOptions run_options, Logger logger,
                     std::string processor_id)
    : settings_(std::move(settings)),
      llm_(llm),
      run_options_(std::move(run_options)),
      logger_(std::move(logger)),
      id_(std::move(processor_id)),
      context_(1),
      events_(context_, zmq::socket_type::pub),
      ctl_(context_, zmq::socket_type::sub),
      pool_(static_cast<std::size_t>(std::max<std::int64_t>(settings_.max_concurrent, 1))) {}

BusWorker::~BusWorker() { abandon_all(); }

int BusWorker::run(int signal_fd) {
  try {
    open_sockets();
    logger_.info("bus worker started", {{"processorId", id_},
                                        {"work", settings_.work_endpoint},
                                        {"events", settings_.events_endpoint},
                                        {"ctl", settings_.ctl_endpoint},
                                        {"slots", settings_.max_concurrent},
                                        {"curve", settings_.curve.has_value()}});
    if (settings_.insecure && !settings_.curve) {
      logger_.warn("AW_BUS_INSECURE=1: bus traffic is neither authenticated nor encrypted", {{"processorId", id_}});
    }
    send_hello();
    while (!stop_) {
      std::vector<zmq::pollitem_t> items{{ctl_.handle(), 0, ZMQ_POLLIN, 0},
                                         {nullptr, tasks_.fd(), ZMQ_POLLIN, 0},
                                         {nullptr, signal_fd, ZMQ_POLLIN, 0}};
      const bool read_work_now = work_ && welcomed_ && !shutting_down_ && free_slots() > 0;
      if (read_work_now) items.push_back({work_->handle(), 0, ZMQ_POLLIN, 0});
      zmq::poll(items, std::min(time_to_next_timer(Clock::now()), kMaxPollWait));
      if (items[2].revents & ZMQ_POLLIN) handle_signal(signal_fd);
      if (items[1].revents & ZMQ_POLLIN) {
        for (auto& task : tasks_.take_all()) task();
      }
      if (items[0].revents & ZMQ_POLLIN) read_ctl();
      if (read_work_now && (items[3].revents & ZMQ_POLLIN)) read_work();
      run_timers(Clock::now());
    }
  } catch (const zmq::error_t& e) {
    logger_.error("bus failure", {{"processorId", id_}, {"error", e.what()}});
    abandon_all();
    return 1;
  }
  logger_.info("stopped", {{"processorId", id_}});
  return 0;
}

void BusWorker::open_sockets() {
  if (settings_.curve) {
    bus::use_curve_client(events_, *settings_.curve);
    bus::use_curve_client(ctl_, *settings_.curve);
  }
  events_.set(zmq::sockopt::linger, kLingerMs);
  events_.set(zmq::sockopt::sndhwm, kEventsHwm);
  events_.connect(settings_.events_endpoint);
  ctl_.set(zmq::sockopt::linger, kLingerMs);
  ctl_.set(zmq::sockopt::rcvhwm, kCtlHwm);
  ctl_.set(zmq::sockopt::subscribe, bus::ctl_topic(id_));
  ctl_.set(zmq::sockopt::subscribe, bus::kCtlAllTopic);
  ctl_.connect(settings_.ctl_endpoint);
}

void BusWorker::connect_pull() {
  if (work_) return;
  work_.emplace(context_, zmq::socket_type::pull);
  if (settings_.curve) bus::use_curve_client(*work_, *settings_.curve);
  work_->set(zmq::sockopt::linger, kLingerMs);
  work_->set(zmq::sockopt::rcvhwm, kWorkHwm);
  work_->connect(settings_.work_endpoint);
}

void BusWorker::close_pull() {
  if (!work_) return;
  work_->set(zmq::sockopt::linger, 0);  // nothing to flush on a receive-only socket
  work_.reset();
}

void BusWorker::run_timers(Clock::time_point now) {
  if (!welcomed_ && now >= next_hello_) send_hello();
  if (welcomed_ && now >= next_hb_) send_heartbeat();
  expire_accepts(now);
  resend_commits(now);
  if (shutting_down_) {
    if (shutdown_done()) {
      stop_ = true;
    } else if (now >= shutdown_deadline_) {
      logger_.warn("shutdown grace spent; abandoning the remaining attempts to lease expiry",
                   {{"processorId", id_},
                    {"attempts", static_cast<std::int64_t>(attempts_.size())},
                    {"titles", static_cast<std::int64_t>(titles_.size())}});
      abandon_all();
      stop_ = true;
    }
  }
}

std::chrono::milliseconds BusWorker::time_to_next_timer(Clock::time_point now) const {
  Clock::time_point next = welcomed_ ? next_hb_ : next_hello_;
  for (const auto& a : attempts_) {
    if (a->phase == Attempt::Phase::AwaitingGrant) next = std::min(next, a->accept_deadline);
    if (a->phase == Attempt::Phase::AwaitingAck) next = std::min({next, a->next_resend, a->give_up_at});
  }
  if (shutting_down_) next = std::min(next, shutdown_deadline_);
  if (shutting_down_ && shutdown_done()) return std::chrono::milliseconds(0);
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - now);
  return std::max(wait, std::chrono::milliseconds(0));
}

void BusWorker::read_ctl() {
  for (;;) {
    bool malformed = false;
    auto frame = receive_frame(ctl_, malformed);
    if (!frame) return;
    if (malformed) {
      logger_.warn("dropped a ctl frame that is not [topic, json]", {{"processorId", id_}});
      continue;
    }
    // SUB filters match prefixes: `ctl.p1` also delivers `ctl.p12` (§1).
    if (!bus::is_ctl_topic_for(frame->topic, id_)) continue;
    auto message = bus::decode(frame->topic, frame->body);
    if (!message) {
      logger_.warn("dropped a ctl frame",
                   {{"processorId", id_}, {"reason", message.status().code()}, {"error", message.status().message()}});
      continue;
    }
    if (auto* welcome = std::get_if<bus::Welcome>(&message.value())) {
      handle_welcome(*welcome);
    } else if (auto* grant = std::get_if<bus::Grant>(&message.value())) {
      handle_grant(*grant);
    } else if (auto* deny = std::get_if<bus::Deny>(&message.value())) {
      handle_deny(*deny);
    } else if (auto* ack = std::get_if<bus::CommitAck>(&message.value())) {
      handle_commit_ack(*ack);
    } else if (auto* cancel = std::get_if<bus::Cancel>(&message.value())) {
      handle_cancel(*cancel);
    } else {
      logger_.warn("dropped a ctl frame of an unexpected kind",
                   {{"processorId", id_}, {"kind", std::string(bus::kind_of(message.value()))}});
    }
  }
}

void BusWorker::read_work() {
  // One item per free slot: with RCVHWM=1 the rest stays with the gateway's PUSH (credit, §4).
  while (work_ && welcomed_ && !shutting_down_ && free_slots() > 0) {
    bool malformed = false;
    auto frame = receive_frame(*work_, malformed);
    if (!frame) return;
    if (malformed) {
      logger_.warn("dropped a work frame that is not [topic, json]", {{"processorId", id_}});
      continue;
    }
    auto message = bus::decode(frame->topic, frame->body);
    if (!message) {
      if (message.status().code() == bus::kDropVersion) {
        handle_foreign_version(frame->topic, frame->body);
        return;
      }
      logger_.warn("dropped a work frame",
                   {{"processorId", id_}, {"reason", message.status().code()}, {"error", message.status().message()}});
      continue;
    }
    if (auto* work = std::get_if<bus::Work>(&message.value())) {
      handle_work(std::move(*work));
    } else if (auto* title = std::get_if<bus::Title>(&message.value())) {
      handle_title(*title);
    } else {
      logger_.warn("dropped a work frame of an unexpected kind",
                   {{"processorId", id_}, {"kind", std::string(bus::kind_of(message.value()))}});
    }
  }
}

void BusWorker::handle_foreign_version(const std::string& topic, const std::string& body) {
  auto doc = json::parse_untrusted(body);
  const auto text = [&](const char* key) {
    return doc ? json::get_string(doc.value(), key).value_or("") : std::string();
  };
  if (topic == bus::kTitleTopic) {
    bus::TitleResult result{
        id_, text("dispatchId"), text("worldId"), text("chatId"), std::nullopt, std::string("unsupported_version")};
    send(bus::encode(result));
  } else {
    bus::Reject reject;
    reject.run = bus::Accept{id_, text("worldId"), text("runId"),
                             doc ? json::get_int(doc.value(), "attempt").value_or(0) : 0, text("dispatchId")};
    reject.reason = bus::RejectReason::UnsupportedVersion;
    send(bus::encode(reject));
  }
  logger_.warn("a work item in a protocol version this processor does not speak; handshaking again",
               {{"processorId", id_}, {"topic", topic}});
  // §3.5: disconnect PULL and start again at step 1.
  close_pull();
  welcomed_ = false;
  send_hello();
}

void BusWorker::handle_welcome(const bus::Welcome& welcome) {
  if (welcome.processor_id != id_) return;
  if (welcome.heartbeat_ms > 0) heartbeat_ = std::chrono::milliseconds(welcome.heartbeat_ms);
  const bool restarted = !gateway_id_.empty() && welcome.gateway_id != gateway_id_;
  gateway_id_ = welcome.gateway_id;
  if (welcomed_) {
    if (restarted) {
      // A new gateway knows nothing of us yet: tell it at once what we hold, and re-send waiting commits now
      // rather than a heartbeat later (its leases for our runs are fresh from its start, §5.4).
      logger_.info("gateway restarted", {{"processorId", id_}, {"gatewayId", gateway_id_}});
      for (auto& a : attempts_) {
        if (a->phase == Attempt::Phase::AwaitingAck) a->next_resend = Clock::now();
      }
      send_heartbeat();
    }
    return;
  }
  welcomed_ = true;
  logger_.info("welcomed", {{"processorId", id_},
                            {"gatewayId", gateway_id_},
                            {"heartbeatMs", static_cast<std::int64_t>(heartbeat_.count())}});
  if (!shutting_down_) connect_pull();
  send_heartbeat();
}

void BusWorker::handle_signal(int signal_fd) {
  signalfd_siginfo info{};
  while (::read(signal_fd, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
    logger_.info("shutdown requested", {{"processorId", id_}, {"signal", static_cast<std::int64_t>(info.ssi_signo)}});
    begin_shutdown();
  }
}

void BusWorker::begin_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  shutdown_deadline_ = Clock::now() + std::chrono::milliseconds(settings_.shutdown_grace_ms);
  // Items already in our PULL queue go back at once instead of waiting for the dispatch timeout.
  if (work_) {
    for (;;) {
      bool malformed = false;
      auto frame = receive_frame(*work_, malformed);
      if (!frame) break;
      if (malformed) continue;
      auto message = bus::decode(frame->topic, frame->body);
      if (!message) continue;
      if (auto* work = std::get_if<bus::Work>(&message.value())) {
        send(bus::encode(bus::Reject{bus::Accept{id_, work->world_id, work->run_id, work->attempt, work->dispatch_id},
                                     bus::RejectReason::Busy}));
      } else if (auto* title = std::get_if<bus::Title>(&message.value())) {
        send(bus::encode(bus::TitleResult{id_, title->dispatch_id, title->world_id, title->chat_id, std::nullopt,
                                          std::string("processor shutting down")}));
      }
    }
  }
  close_pull();
  if (welcomed_) send_heartbeat();  // slots:0 while shutting down
}

bool BusWorker::shutdown_done() const { return attempts_.empty() && titles_.empty(); }

void BusWorker::send(const bus::Frame& frame) {
  std::lock_guard<std::mutex> lock(pub_mutex_);
  send_locked(frame);
}

void BusWorker::send_locked(const bus::Frame& frame) {
  const auto topic_sent = events_.send(zmq::buffer(frame.topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  const auto body_sent = topic_sent ? events_.send(zmq::buffer(frame.body), zmq::send_flags::dontwait) : topic_sent;
  if (!body_sent) logger_.warn("events socket full; frame dropped", {{"processorId", id_}, {"topic", frame.topic}});
}

void BusWorker::send_hello() {
  bus::Hello hello;
  hello.processor_id = id_;
  hello.slots = free_slots();
  send(bus::encode(hello));
  next_hello_ = Clock::now() + kHelloPeriod;
}

void BusWorker::send_heartbeat() {
  bus::Heartbeat hb;
  hb.processor_id = id_;
  hb.slots = free_slots();
  for (const auto& a : attempts_) {
    if (a->phase != Attempt::Phase::AwaitingGrant && !a->silenced) {
      hb.runs.push_back(bus::RunRef{a->work.world_id, a->work.run_id, a->work.attempt});
    }
  }
  send(bus::encode(hb));
  reported_slots_ = hb.slots;
  next_hb_ = Clock::now() + heartbeat_;
}

void BusWorker::report_slots() {
  if (welcomed_ && free_slots() != reported_slots_) send_heartbeat();
}

std::int64_t BusWorker::free_slots() const {
  if (shutting_down_) return 0;
  std::int64_t used = static_cast<std::int64_t>(titles_.size());
  for (const auto& a : attempts_) used += a->holds_slot ? 1 : 0;
  return std::max<std::int64_t>(0, settings_.max_concurrent - used);
}

}  // namespace aw::processor::worker
