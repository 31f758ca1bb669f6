// LeaseTable (see lease_table.h).
#include "gateway/bus/lease_table.h"

namespace aw::gateway::bus {

Lease& LeaseTable::grant(Lease lease) {
  RunKey key{lease.world_id, lease.run_id};
  Lease& slot = leases_[key];
  slot = std::move(lease);
  return slot;
}

Lease* LeaseTable::find(const std::string& world_id, const std::string& run_id) {
  auto it = leases_.find(RunKey{world_id, run_id});
  return it == leases_.end() ? nullptr : &it->second;
}

Lease* LeaseTable::find_attempt(const std::string& world_id, const std::string& run_id, std::int64_t attempt) {
  Lease* lease = find(world_id, run_id);
  return lease != nullptr && lease->attempt == attempt ? lease : nullptr;
}

void LeaseTable::release(const std::string& world_id, const std::string& run_id) {
  leases_.erase(RunKey{world_id, run_id});
}

std::int64_t LeaseTable::renew(const std::string& owner, const std::vector<aw::bus::RunRef>& runs, EpochMs now,
                               std::int64_t lease_ms) {
  std::int64_t renewed = 0;
  for (const aw::bus::RunRef& run : runs) {
    Lease* lease = find_attempt(run.world_id, run.run_id, run.attempt);
    // Only the owner renews: a processor still listing an attempt that was re-granted elsewhere keeps nothing alive.
    if (lease == nullptr || lease->owner != owner) continue;
    lease->expires_at_ms = now + lease_ms;
    ++renewed;
  }
  return renewed;
}

std::vector<Lease> LeaseTable::expired(EpochMs now) const {
  std::vector<Lease> out;
  for (const auto& [key, lease] : leases_) {
    if (lease.expires_at_ms <= now) out.push_back(lease);
  }
  return out;
}

bool LeaseTable::has_world(const std::string& world_id) const {
  auto it = leases_.lower_bound(RunKey{world_id, std::string()});
  return it != leases_.end() && it->first.first == world_id;
}

}  // namespace aw::gateway::bus
