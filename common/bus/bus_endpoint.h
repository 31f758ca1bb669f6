// The bus's loopback rule (bus-protocol.md §11), shared by the gateway (bind addresses) and the processor (connect
// addresses): without CURVE or AW_BUS_INSECURE=1 every endpoint must stay on this host.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace aw::bus {

// True for tcp:// on 127.0.0.0/8 (four numeric parts), [::1] or localhost, and for every ipc:// or inproc://
// address. Anything else, including wildcards (`*`, 0.0.0.0, [::]) and host names, is not local.
bool is_local_endpoint(std::string_view endpoint);

}  // namespace aw::bus
