// LeaseTable (see lease_table.h).
#include "gateway/bus/lease_table.h"

namespace aw::gateway::bus {

void LeaseTable::note(const RunKey& key) {
  if (!journaling_ || journal_.count(key) != 0) return;
  auto it = leases_.find(key);
  journal_.emplace(key, it == leases_.end() ? std::nullopt : std::optional<Lease>(it->second));
}

void LeaseTable::begin_journal() {
  journal_.clear();
  journaling_ = true;
}

void LeaseTable::commit_journal() {
  journal_.clear();
  journaling_ = false;
}

void LeaseTable::rollback_journal() {
  journaling_ = false;
  for (auto& [key, before] : journal_) {
    auto it = leases_.find(key);
    if (!before) {
      if (it != leases_.end()) leases_.erase(it);
      continue;
    }
    if (it != leases_.end() && it->second.attempt == before->attempt && it->second.owner == before->owner) {
      before->expires_at_ms = it->second.expires_at_ms;
      before->last_stale_cancel_ms = it->second.last_stale_cancel_ms;
    }
    leases_[key] = std::move(*before);
  }
  journal_.clear();
}

Lease& LeaseTable::grant(Lease lease) {
  RunKey key{lease.world_id, lease.run_id};
  note(key);
  Lease& slot = leases_[key];
  slot = std::move(lease);
  return slot;
}

Lease* LeaseTable::find(const std::string& world_id, const std::string& run_id) {
  auto it = leases_.find(RunKey{world_id, run_id});
  if (it == leases_.end()) return nullptr;
  note(it->first);  // the caller may change it
  return &it->second;
}

Lease* LeaseTable::find_attempt(const std::string& world_id, const std::string& run_id, std::int64_t attempt) {
  Lease* lease = find(world_id, run_id);
  return lease != nullptr && lease->attempt == attempt ? lease : nullptr;
}

void LeaseTable::release(const std::string& world_id, const std::string& run_id) {
  RunKey key{world_id, run_id};
  note(key);
  leases_.erase(key);
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
