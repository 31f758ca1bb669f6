// ProcessorRegistry: the processors the gateway knows from hello and hb (bus-protocol.md §3, §4): whether they are
// welcomed, their free slots and when they last spoke. A processor is connected while welcomed and its latest
// hello or hb is younger than leaseMs; only connected processors give credit.
// Thread-safety: loop thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/bus/bus_messages.h"
#include "gateway/bus/bus_settings.h"
#include "gateway/bus/clock.h"

namespace aw::gateway::bus {

struct ProcessorInfo {
  std::string id;
  std::int64_t free_slots = 0;
  EpochMs last_seen_ms = 0;
  bool welcomed = false;
  std::vector<aw::bus::RunRef> runs;  // from the latest hb
};

class ProcessorRegistry {
 public:
  ProcessorRegistry(const BusSettings& settings, Clock& clock, std::string gateway_id)
      : settings_(settings), clock_(clock), gateway_id_(std::move(gateway_id)) {}
  ProcessorRegistry(const ProcessorRegistry&) = delete;
  ProcessorRegistry& operator=(const ProcessorRegistry&) = delete;

  // A hello: the welcome to send when [vMin, vMax] holds our version; nullopt for an incompatible processor
  // (recorded, logged once by the caller when first_incompatible() says so, never counted).
  std::optional<aw::bus::Welcome> on_hello(const aw::bus::Hello& hello);
  // A hb: updates slots and runs; a hb from a processor not welcomed yet (a gateway restart) is handled like a hello
  // and may return a welcome.
  std::optional<aw::bus::Welcome> on_heartbeat(const aw::bus::Heartbeat& hb);

  // True when the processor with this id was refused for its version for the first time by the last call.
  bool last_was_first_incompatible() const { return last_first_incompatible_; }

  bool is_connected(const std::string& id) const;
  std::int64_t connected_count() const;
  // Σ free slots of connected processors.
  std::int64_t free_slots() const;
  const ProcessorInfo* find(const std::string& id) const;
  // Every processor known (connected or not), by id; for the admin endpoint.
  const std::map<std::string, ProcessorInfo>& all() const { return processors_; }
  // Forgets processors silent for more than 10 x leaseMs (their ids never return: ids are per process run).
  void prune();

  const std::string& gateway_id() const { return gateway_id_; }

 private:
  std::optional<aw::bus::Welcome> admit(const std::string& id, std::int64_t v_min, std::int64_t v_max,
                                        std::int64_t slots);
  const BusSettings& settings_;
  Clock& clock_;
  const std::string gateway_id_;
  std::map<std::string, ProcessorInfo> processors_;
  std::set<std::string> incompatible_;
  bool last_first_incompatible_ = false;
};

}  // namespace aw::gateway::bus
