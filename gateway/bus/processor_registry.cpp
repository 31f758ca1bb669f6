// ProcessorRegistry (see processor_registry.h).
#include "gateway/bus/processor_registry.h"

namespace aw::gateway::bus {

std::optional<aw::bus::Welcome> ProcessorRegistry::admit(const std::string& id, std::int64_t v_min, std::int64_t v_max,
                                                         std::int64_t slots) {
  last_first_incompatible_ = false;
  if (v_min > aw::bus::kProtocolVersion || v_max < aw::bus::kProtocolVersion) {
    last_first_incompatible_ = incompatible_.insert(id).second;
    return std::nullopt;
  }
  ProcessorInfo& p = processors_[id];
  p.id = id;
  p.free_slots = slots;
  p.last_seen_ms = clock_.now_ms();
  p.welcomed = true;
  return aw::bus::Welcome{id, gateway_id_, settings_.heartbeat_ms};
}

std::optional<aw::bus::Welcome> ProcessorRegistry::on_hello(const aw::bus::Hello& hello) {
  // Every hello is answered: the processor repeats hello until a welcome reaches it, so a lost welcome is re-sent.
  return admit(hello.processor_id, hello.v_min, hello.v_max, hello.slots);
}

std::optional<aw::bus::Welcome> ProcessorRegistry::on_heartbeat(const aw::bus::Heartbeat& hb) {
  auto it = processors_.find(hb.processor_id);
  if (it == processors_.end() || !it->second.welcomed) {
    auto welcome = admit(hb.processor_id, hb.v_min, hb.v_max, hb.slots);
    if (welcome) processors_[hb.processor_id].runs = hb.runs;
    return welcome;
  }
  last_first_incompatible_ = false;
  it->second.free_slots = hb.slots;
  it->second.last_seen_ms = clock_.now_ms();
  it->second.runs = hb.runs;
  return std::nullopt;
}

bool ProcessorRegistry::is_connected(const std::string& id) const {
  const ProcessorInfo* p = find(id);
  return p != nullptr && p->welcomed && clock_.now_ms() - p->last_seen_ms < settings_.lease_ms();
}

std::int64_t ProcessorRegistry::connected_count() const {
  std::int64_t n = 0;
  for (const auto& [id, p] : processors_) n += is_connected(id) ? 1 : 0;
  return n;
}

std::int64_t ProcessorRegistry::free_slots() const {
  std::int64_t n = 0;
  for (const auto& [id, p] : processors_) n += is_connected(id) ? p.free_slots : 0;
  return n;
}

const ProcessorInfo* ProcessorRegistry::find(const std::string& id) const {
  auto it = processors_.find(id);
  return it == processors_.end() ? nullptr : &it->second;
}

void ProcessorRegistry::prune() {
  const EpochMs now = clock_.now_ms();
  for (auto it = processors_.begin(); it != processors_.end();) {
    if (now - it->second.last_seen_ms > 10 * settings_.lease_ms()) {
      it = processors_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace aw::gateway::bus
