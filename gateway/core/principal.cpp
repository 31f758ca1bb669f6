// World scope of a principal (see gateway_core.h; ws-protocol.md §3.2).
#include "gateway/core/gateway_core.h"

namespace aw::gateway {

bool Principal::may_access_world(std::string_view world_id) const {
  for (const std::string& allowed : worlds) {
    if (allowed == "*" || allowed == world_id) return true;
  }
  return false;
}

}  // namespace aw::gateway
