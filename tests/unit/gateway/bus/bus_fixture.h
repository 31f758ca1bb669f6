// BusFixture: a GatewayCore on a temp-dir SQLite file (CoreFixture) plus the bus logic wired to a manual clock, a
// fixed random source and a recording BusOutput.
// Thread-safety: test thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/bus/bus_codec.h"
#include "gateway/bus/dispatcher.h"
#include "gateway/bus/run_intake.h"
#include "tests/unit/gateway/core/core_fixture.h"

namespace aw::gateway::bus::test {

class ManualClock final : public Clock {
 public:
  EpochMs now_ms() override { return now; }
  EpochMs now = 1'700'000'000'000;
};

class FixedRandom final : public RandomSource {
 public:
  double next_unit() override { return value; }
  double value = 0.5;  // no jitter
};

class RecordingOutput final : public BusOutput {
 public:
  bool push_work(aw::bus::Frame&& frame) override {
    if (!accept_pushes) return false;
    work.push_back(std::move(frame));
    return true;
  }
  void publish_ctl(aw::bus::Frame&& frame) override { ctl.push_back(std::move(frame)); }
  void broadcast_status(StatusBroadcast&& status) override { statuses.push_back(std::move(status)); }
  void broadcast_event(PersistedFrame&& frame) override { events.push_back(std::move(frame)); }

  bool accept_pushes = true;
  std::vector<aw::bus::Frame> work;
  std::vector<aw::bus::Frame> ctl;
  std::vector<StatusBroadcast> statuses;
  std::vector<PersistedFrame> events;
};

struct BusFixture : gateway::test::CoreFixture {
  BusSettings settings;
  ManualClock clock;
  FixedRandom random;
  RecordingOutput output;
  BusCounters counters;
  std::unique_ptr<ProcessorRegistry> registry;
  std::unique_ptr<LeaseTable> leases;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<RunIntake> intake;

  BusFixture() { start_bus(); }

  // (Re)creates the in-memory bus state, as a gateway restart does.
  void start_bus() {
    intake.reset();
    dispatcher.reset();
    registry = std::make_unique<ProcessorRegistry>(settings, clock, "gw-test");
    leases = std::make_unique<LeaseTable>();
    dispatcher = std::make_unique<Dispatcher>(storage(), settings, clock, random, *registry, *leases, output, counters,
                                              Logger());
    intake = std::make_unique<RunIntake>(storage(), settings, clock, *leases, *dispatcher, output, counters, Logger());
  }

  void hello(const std::string& processor, std::int64_t slots) {
    dispatcher->on_hello(aw::bus::Hello{processor, 1, 1, slots});
  }
  void hb(const std::string& processor, std::int64_t slots, std::vector<aw::bus::RunRef> runs = {}) {
    dispatcher->on_heartbeat(aw::bus::Heartbeat{processor, 1, 1, slots, std::move(runs)});
  }

  // Decodes the i-th pushed work frame.
  aw::bus::Work work_at(std::size_t i) {
    BOOST_REQUIRE(i < output.work.size());
    auto decoded = aw::bus::decode(output.work[i].topic, output.work[i].body);
    BOOST_REQUIRE_MESSAGE(decoded.is_ok(), decoded.status().message());
    return std::get<aw::bus::Work>(decoded.value());
  }
  aw::bus::BusMessage last_ctl() {
    BOOST_REQUIRE(!output.ctl.empty());
    auto decoded = aw::bus::decode(output.ctl.back().topic, output.ctl.back().body);
    BOOST_REQUIRE_MESSAGE(decoded.is_ok(), decoded.status().message());
    return decoded.value();
  }
  void accept(const std::string& processor, const aw::bus::Work& w) {
    dispatcher->on_accept(aw::bus::Accept{processor, w.world_id, w.run_id, w.attempt, w.dispatch_id});
  }
  std::string item_state(const std::string& world, const std::string& message) {
    auto item = storage().queue().find(world, message);
    BOOST_REQUIRE(item.is_ok() && item.value());
    return item.value()->state;
  }
  storage::QueueItemRecord item(const std::string& world, const std::string& message) {
    auto found = storage().queue().find(world, message);
    BOOST_REQUIRE(found.is_ok() && found.value());
    return *found.value();
  }
  std::string last_status() {
    BOOST_REQUIRE(!output.statuses.empty());
    auto doc = parse(*output.statuses.back().json);
    return str(doc["payload"], "status");
  }
};

}  // namespace aw::gateway::bus::test
