#include "tests/integration/processor/worker_fixture.h"

#include <boost/test/unit_test.hpp>

#include "common/bus/bus_topics.h"

namespace aw::test {

void WorkerFixture::start_processor(std::map<std::string, std::string> extra_env) {
  ProcessorOptions options;
  options.binary = AW_PROCESSOR_BINARY;
  options.wait_welcomed = false;
  options.env = gateway.env();
  options.env["OPENAI_COMPATIBLE_BASE_URL"] = "http://127.0.0.1:" + std::to_string(port()) + "/v1";
  options.env["AW_LLM_RETRY_BASE_MS"] = "10";
  for (auto& [key, value] : extra_env) options.env[key] = value;
  auto started = ProcessorProcess::start(std::move(options));
  BOOST_REQUIRE_MESSAGE(started.is_ok(), (started.is_ok() ? std::string() : started.status().message()));
  processor = std::move(started.value());
}

std::string WorkerFixture::handshake() {
  // The ctl subscription may still be on its way when the first hello arrives (slow joiner): answer every hello
  // until the welcome has visibly arrived (the first hb).
  auto hb = gateway.wait_for(
      [this](const Received& r) {
        if (const auto* hello = as<bus::Hello>(r)) {
          processor_id = hello->processor_id;
          gateway.publish(bus::encode(bus::Welcome{hello->processor_id, "gw-1", kTestHeartbeatMs}));
        }
        return kind(r) == "hb";
      },
      std::chrono::milliseconds(10000));
  BOOST_REQUIRE_MESSAGE(hb.has_value(), "no hb after welcome; stderr:\n" + processor->stderr_text());
  return processor_id;
}

void WorkerFixture::push_and_grant(const bus::Work& work) {
  BOOST_REQUIRE(gateway.push_within(bus::encode(work), std::chrono::milliseconds(5000)));
  auto accept = gateway.wait_for([&](const Received& r) {
    const auto* a = as<bus::Accept>(r);
    return a != nullptr && a->dispatch_id == work.dispatch_id;
  });
  BOOST_REQUIRE_MESSAGE(accept.has_value(), "no accept; stderr:\n" + processor->stderr_text());
  gateway.publish(bus::encode(bus::Grant{processor_id, work.world_id, work.run_id, work.attempt, work.dispatch_id}));
}

std::optional<bus::Commit> WorkerFixture::wait_commit(const std::string& run_id, std::chrono::milliseconds timeout) {
  auto r = gateway.wait_for(
      [&](const Received& m) {
        const auto* c = as<bus::Commit>(m);
        return c != nullptr && c->run_id == run_id;
      },
      timeout);
  if (!r) return std::nullopt;
  return *as<bus::Commit>(*r);
}

bool WorkerFixture::wait_event(const std::string& run_id, const std::string& needle,
                               std::chrono::milliseconds timeout) {
  return gateway
      .wait_for(
          [&](const Received& m) {
            const auto* e = as<bus::Event>(m);
            return e != nullptr && e->run_id == run_id && e->payload_json.find(needle) != std::string::npos;
          },
          timeout)
      .has_value();
}

void WorkerFixture::send_ack(const bus::Commit& commit) {
  gateway.publish(bus::encode(
      bus::CommitAck{processor_id, commit.world_id, commit.run_id, commit.attempt, bus::CommitResult::Applied}));
}

void WorkerFixture::send_cancel(const bus::Work& work, bus::CancelReason reason, const std::string& topic) {
  bus::Frame frame = bus::encode(bus::Cancel{processor_id, work.world_id, work.run_id, work.attempt, reason});
  if (!topic.empty()) frame.topic = topic;
  gateway.publish(frame);
}

std::vector<bus::Event> WorkerFixture::events_of(const std::string& run_id) const {
  std::vector<bus::Event> out;
  for (const auto& r : gateway.received()) {
    if (const auto* e = as<bus::Event>(r); e != nullptr && e->run_id == run_id) out.push_back(*e);
  }
  return out;
}

bool WorkerFixture::wait_hb_slots(std::int64_t slots, std::chrono::milliseconds timeout) {
  return gateway
      .wait_for(
          [&](const Received& r) {
            const auto* hb = as<bus::Heartbeat>(r);
            return hb != nullptr && hb->slots == slots;
          },
          timeout)
      .has_value();
}

}  // namespace aw::test
