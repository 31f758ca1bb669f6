// The port-discovery file (AW_PORT_FILE): tests and tools started with WS_PORT=0 read the bound port from it.
// Thread-safety: a free function; call once after listening.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace aw::gateway {

// Writes `port` as decimal digits and "\n" to `path` atomically: <path>.tmp first, then rename, so a reader never
// sees a partial number. Fails with code "listen_failed" naming the file.
Status write_port_file(const std::string& path, std::uint16_t port);

}  // namespace aw::gateway
