// Publishing a bound port to a file, the way aw-gateway does with AW_PORT_FILE, so a script that started a
// server on port 0 can find it.
// Thread-safety: free function; concurrent writers to one path race, last rename wins.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace aw::bench {

// Writes "<port>\n" to path atomically (temporary file, then rename): a reader polling the path sees either
// no file or the whole number, never a partial write.
Status write_port_file(const std::string& path, std::uint16_t port);

}  // namespace aw::bench
